using System.Net;
using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.Transfers;

/// <summary>
/// Warm transfer as CallAPI requests: consult (customer to music, agent into a room, target called into it), then
/// complete (customer joins the target, agent released) or cancel (target hung up, customer back), or by itself when the
/// target does not answer.
/// </summary>
public class WarmTransferTests(CallApiFixture app) : IClassFixture<CallApiFixture>
{
    private sealed record Consult(string Customer, string Bob, ApiTransfer Warm, string Target);

    /// <summary>A two-party call with bob, warm-transferred to alice, with both moved legs and alice's leg in the consult room.</summary>
    private async Task<Consult> ConsultAsync(bool targetAnswers = true)
    {
        var customer = await app.SeedCallAsync(status: "ringing");
        var bob = Webhook.NewCallSid();
        await app.PostLegProgressAsync(bob, customer, "answered");

        var warm = await (await app.PostTransferAsync(new { callSid = customer, to = "alice", mode = "warm" })).ReadTransferAsync();
        var target = Assert.Single(warm.CreatedCallSids);
        var hold = app.CallApi.RequestsMentioning(customer).Single(r => r.Has("Url")).Field("Url")!;
        await app.FetchRcmlAsync(new Uri(hold).PathAndQuery, customer);
        await app.FetchRcmlAsync(new Uri(hold).PathAndQuery, bob, direction: "outbound-dial", to: "bob");
        if (targetAnswers)
        {
            // The created call reports to the StatusCallback AppServer gave it, which names the transfer.
            await app.Client.PostFormAsync($"/status?transfer={warm.Id}", new Dictionary<string, string>
            {
                ["CallSid"] = target, ["CallStatus"] = "answered", ["Direction"] = "outbound-api", ["token"] = CallApiFixture.WebhookToken,
            });
            await app.FetchRcmlAsync($"/Conference?room={warm.Room}", target, direction: "outbound-api", to: "client:alice");
        }
        return new Consult(customer, bob, warm, target);
    }

    [Fact]
    public async Task A_warm_transfer_holds_the_customer_moves_bob_into_a_room_and_calls_alice_into_it()
    {
        var consult = await ConsultAsync(targetAnswers: false);

        Assert.Equal("warm", consult.Warm.Mode);
        Assert.Equal("consulting", consult.Warm.State);
        Assert.Equal("accepted", consult.Warm.Outcome);
        Assert.Equal(consult.Bob, consult.Warm.AgentCallSid);
        Assert.Equal(consult.Target, consult.Warm.TargetCallSid);
        var move = app.CallApi.RequestsMentioning(consult.Customer).Single(r => r.Has("Url"));
        Assert.Equal(CallApiFixture.Public($"/Hold?transfer={consult.Warm.Id}"), move.Field("Url"));
        Assert.Equal("true", move.Field("MoveConnectedCallLeg"));
        var create = app.CallApi.Requests.Single(r => r.Path.EndsWith("/Calls.json") && r.Field("Url")!.Contains(consult.Warm.Room!));
        Assert.Equal("client:alice", create.Field("To"));
        Assert.Equal("+15551234567", create.Field("From"));
        Assert.Equal(CallApiFixture.Public($"/Conference?room={consult.Warm.Room}"), create.Field("Url"));
        Assert.Equal(CallApiFixture.Public($"/status?transfer={consult.Warm.Id}"), create.Field("StatusCallback"));
        Assert.Equal("initiated,ringing,answered,completed", create.Field("StatusCallbackEvent"));
        Assert.True((await app.GetCallAsync(consult.Customer)).OnHold);
    }

    [Fact]
    public async Task Complete_joins_the_customer_to_the_target_and_releases_bob()
    {
        var consult = await ConsultAsync();
        Assert.Equal("connected", (await app.GetTransferAsync(consult.Warm.Id)).Outcome);

        var completed = await app.Agent.PostActionAsync($"/transfers/{consult.Warm.Id}/complete");

        Assert.Equal(consult.Warm.Id, completed.Id);
        Assert.Equal("completed", completed.State);
        var customerMoves = app.CallApi.RequestsMentioning(consult.Customer).Where(r => r.Has("Url")).ToList();
        Assert.Equal(CallApiFixture.Public($"/Conference?room={consult.Warm.Room}"), customerMoves[^1].Field("Url"));
        Assert.Equal("completed", app.CallApi.RequestsMentioning(consult.Bob).Single(r => r.Has("Status")).Field("Status"));
        Assert.DoesNotContain(app.CallApi.RequestsMentioning(consult.Target), r => r.Has("Status"));
        Assert.False((await app.GetCallAsync(consult.Customer)).OnHold);
        Assert.Contains((await app.GetCallAsync(consult.Customer)).Transfers, t => t.Mode == "complete" && t.State == "completed");
    }

    [Fact]
    public async Task Complete_before_the_target_answered_is_409_and_changes_nothing()
    {
        var consult = await ConsultAsync(targetAnswers: false);
        var sent = app.CallApi.Requests.Count;

        var problem = await ProblemAssert.AssertProblem(await app.Agent.PostAsync($"/transfers/{consult.Warm.Id}/complete", null),
            HttpStatusCode.Conflict, null);

        Assert.Contains("not in the consult room", problem.Detail);
        Assert.Equal(sent, app.CallApi.Requests.Count);
        Assert.Equal("consulting", (await app.GetTransferAsync(consult.Warm.Id)).State);
    }

    [Fact]
    public async Task Cancel_hangs_up_the_target_and_returns_the_customer_to_bob()
    {
        var consult = await ConsultAsync();

        var canceled = await app.Agent.PostActionAsync($"/transfers/{consult.Warm.Id}/cancel");

        Assert.Equal("canceled", canceled.State);
        Assert.Contains("back with", canceled.FailureReason);
        Assert.Equal("completed", app.CallApi.RequestsMentioning(consult.Target).Single(r => r.Has("Status")).Field("Status"));
        Assert.Equal(CallApiFixture.Public($"/Conference?room={consult.Warm.Room}"),
            app.CallApi.RequestsMentioning(consult.Customer).Where(r => r.Has("Url")).Last().Field("Url"));
        Assert.DoesNotContain(app.CallApi.RequestsMentioning(consult.Bob), r => r.Has("Status"));
        // Once ended, neither complete nor cancel applies any more.
        await ProblemAssert.AssertProblem(await app.Agent.PostAsync($"/transfers/{consult.Warm.Id}/complete", null),
            HttpStatusCode.Conflict, null);
    }

    [Fact]
    public async Task A_target_that_does_not_answer_returns_the_customer_to_bob_by_itself_and_the_record_says_why()
    {
        var consult = await ConsultAsync(targetAnswers: false);

        await app.PostStatusAsync(consult.Target, "busy", new Dictionary<string, string> { ["Direction"] = "outbound-api" });
        await app.Client.PostFormAsync($"/status?transfer={consult.Warm.Id}", new Dictionary<string, string>
        {
            ["CallSid"] = consult.Target, ["CallStatus"] = "completed", ["token"] = CallApiFixture.WebhookToken,
        });

        await Eventually.HoldsAsync(async () => (await app.GetTransferAsync(consult.Warm.Id)).State == "canceled", "canceled by itself");
        var warm = await app.GetTransferAsync(consult.Warm.Id);
        Assert.Equal("not-connected", warm.Outcome);
        Assert.Equal("busy", warm.OutcomeDetail);
        Assert.Contains("alice did not answer (busy)", warm.FailureReason);
        await Eventually.HoldsAsync(async () => !(await app.GetCallAsync(consult.Customer)).OnHold, "the customer is off hold");
        Assert.Equal(CallApiFixture.Public($"/Conference?room={consult.Warm.Room}"),
            app.CallApi.RequestsMentioning(consult.Customer).Where(r => r.Has("Url")).Last().Field("Url"));
    }

    [Fact]
    public async Task When_the_customer_hangs_up_during_the_consult_the_transfer_is_canceled_and_the_room_ended()
    {
        var consult = await ConsultAsync();

        await app.PostStatusAsync(consult.Customer, "completed");

        await Eventually.HoldsAsync(async () =>
            app.CallApi.RequestsMentioning(consult.Bob).Any(r => r.Field("Status") == "completed")
            && app.CallApi.RequestsMentioning(consult.Target).Any(r => r.Field("Status") == "completed"), "bob and alice hung up");
        var warm = await app.GetTransferAsync(consult.Warm.Id);
        Assert.Equal("canceled", warm.State);
        Assert.Contains("hung up during the consult", warm.FailureReason);
    }

    [Fact]
    public async Task A_second_warm_transfer_while_consulting_and_a_warm_transfer_of_a_call_talking_to_nobody_are_409()
    {
        var consult = await ConsultAsync();
        await ProblemAssert.AssertProblem(await app.PostTransferAsync(new { callSid = consult.Customer, to = "carol", mode = "warm" }),
            HttpStatusCode.Conflict, null);
        var ringing = await app.SeedCallAsync(status: "ringing");
        await ProblemAssert.AssertProblem(await app.PostTransferAsync(new { callSid = ringing, to = "carol", mode = "warm" }),
            HttpStatusCode.Conflict, null);
        Assert.Empty(app.CallApi.RequestsMentioning(ringing));
    }

    [Fact]
    public async Task Complete_or_cancel_of_an_unknown_transfer_is_404()
    {
        await ProblemAssert.AssertProblem(await app.Agent.PostAsync($"/transfers/TR{new string('0', 32)}/complete", null),
            HttpStatusCode.NotFound, null);
        await ProblemAssert.AssertProblem(await app.Agent.PostAsync("/transfers/nonsense/cancel", null), HttpStatusCode.NotFound, null);
    }

    [Fact]
    public async Task Removing_a_member_hangs_up_its_leg_and_an_outsider_is_404()
    {
        var consult = await ConsultAsync();

        var removed = await app.Agent.DeleteAsync($"/conferences/{consult.Warm.Room}/participants/{consult.Target}");
        var action = await removed.ReadTransferAsync();

        Assert.Equal("remove", action.Mode);
        Assert.Equal("completed", app.CallApi.RequestsMentioning(consult.Target).Single(r => r.Has("Status")).Field("Status"));
        await ProblemAssert.AssertProblem(await app.Agent.DeleteAsync(
            $"/conferences/{consult.Warm.Room}/participants/{Webhook.NewCallSid()}"),
            HttpStatusCode.NotFound, null);
    }
}
