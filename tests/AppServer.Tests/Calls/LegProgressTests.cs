using System.Net;
using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.Calls;

/// <summary>
/// The legs of a call (docs/platform.md §8.2): what a dialled leg's progress callbacks make of the leg, of the customer's
/// call it serves, and of the cold transfer whose target it rings.
/// </summary>
public class LegProgressTests(CallApiFixture app) : IClassFixture<CallApiFixture>
{
    [Fact]
    public async Task A_call_whose_agent_leg_answered_is_in_progress_with_that_leg_listed()
    {
        var sid = await app.SeedCallAsync(status: "ringing");
        var bob = Webhook.NewCallSid();

        await app.PostLegProgressAsync(bob, sid, "initiated");
        await app.PostLegProgressAsync(bob, sid, "ringing");
        var ringing = await app.GetCallAsync(sid);
        Assert.Equal("ringing", ringing.CallStatus);
        Assert.Equal("ringing", ringing.State);
        Assert.Null(ringing.AnsweredAt);

        await app.PostLegProgressAsync(bob, sid, "answered");

        var call = await app.GetCallAsync(sid);
        Assert.Equal("in-progress", call.CallStatus);
        Assert.Equal("talking", call.State);
        var leg = Assert.Single(call.Legs);
        Assert.Equal(bob, leg.CallSid);
        Assert.Equal("bob", leg.Agent);
        Assert.Equal("in-progress", leg.Status);
        Assert.Equal("talking", leg.State);
        Assert.NotNull(leg.AnsweredAt);
        // The talk is timed from the agent's answer, not from when the call arrived.
        Assert.Equal(leg.AnsweredAt, call.TalkingSince);
        Assert.NotNull(call.AnsweredAt);
        Assert.True(call.TalkingSince > call.CreatedAt);

        var stored = await app.GetCallAsync(bob);
        Assert.Equal(sid, stored.CustomerCallSid);
        Assert.Equal(sid, stored.ParentCallSid);
        // AppServer's own callback parameters say where the callback came from; they are not call data.
        Assert.DoesNotContain("agent", stored.Parameters.Keys);
        Assert.Equal("answered", stored.Parameters["CallStatus"]);
    }

    [Fact]
    public async Task A_leg_that_ended_leaves_the_call_ringing_until_another_answers()
    {
        var sid = await app.SeedCallAsync(status: "ringing");
        var bob = Webhook.NewCallSid();
        await app.PostLegProgressAsync(bob, sid, "ringing");
        await app.PostStatusAsync(bob, "no-answer");

        var call = await app.GetCallAsync(sid);
        Assert.Equal("ringing", call.State);
        Assert.Equal("ended", Assert.Single(call.Legs).State);
        Assert.Equal("no-answer", call.Legs[0].Status);
    }

    [Fact]
    public async Task A_cold_transfer_is_accepted_then_connected_when_the_targets_leg_answers()
    {
        var sid = await app.SeedCallAsync();
        var transfer = await (await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" })).ReadTransferAsync();
        Assert.Equal("completed", transfer.State);
        Assert.Equal("accepted", transfer.Outcome);
        Assert.Null(transfer.TargetCallSid);

        var alice = Webhook.NewCallSid();
        await app.PostLegProgressAsync(alice, sid, "ringing", agent: "alice", transfer: transfer.Id, to: "alice");
        Assert.Equal("accepted", (await app.GetTransferAsync(transfer.Id)).Outcome);
        await app.PostLegProgressAsync(alice, sid, "answered", agent: "alice", transfer: transfer.Id, to: "alice");

        var decided = await app.GetTransferAsync(transfer.Id);
        Assert.Equal("connected", decided.Outcome);
        Assert.Null(decided.OutcomeDetail);
        Assert.Equal(alice, decided.TargetCallSid);
        // Once decided, a later report does not change it.
        await app.PostLegProgressAsync(alice, sid, "completed", agent: "alice", transfer: transfer.Id, to: "alice");
        Assert.Equal("connected", (await app.GetTransferAsync(transfer.Id)).Outcome);
    }

    [Theory]
    [InlineData("busy")]
    [InlineData("no-answer")]
    [InlineData("failed")]
    public async Task A_cold_transfer_whose_target_does_not_answer_is_not_connected_with_the_dials_status(string dialStatus)
    {
        var sid = await app.SeedCallAsync();
        var transfer = await (await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" })).ReadTransferAsync();
        var alice = Webhook.NewCallSid();
        await app.PostLegProgressAsync(alice, sid, "ringing", agent: "alice", transfer: transfer.Id, to: "alice");
        // Restcomm's noun callback says only "completed"; the Dial's action callback says how.
        await app.PostLegProgressAsync(alice, sid, "completed", agent: "alice", transfer: transfer.Id, to: "alice");
        Assert.Equal("not-connected", (await app.GetTransferAsync(transfer.Id)).Outcome);

        var response = await app.Client.PostFormAsync($"/dial-action?transfer={transfer.Id}", new Dictionary<string, string>
        {
            ["CallSid"] = sid, ["DialCallStatus"] = dialStatus, ["DialCallSid"] = alice, ["token"] = CallApiFixture.WebhookToken,
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var decided = await app.GetTransferAsync(transfer.Id);
        Assert.Equal("not-connected", decided.Outcome);
        Assert.Equal(dialStatus, decided.OutcomeDetail);
        Assert.Equal(alice, decided.TargetCallSid);
        Assert.Contains((await app.GetCallAsync(sid)).Transfers, t => t.Id == transfer.Id && t.Outcome == "not-connected");
    }

    [Fact]
    public async Task A_dial_that_failed_before_any_leg_rang_is_not_connected_too()
    {
        var sid = await app.SeedCallAsync();
        var transfer = await (await app.PostTransferAsync(new { callSid = sid, to = "client:nobody", mode = "cold" })).ReadTransferAsync();

        await app.Client.PostFormAsync($"/dial-action?transfer={transfer.Id}", new Dictionary<string, string>
        {
            ["CallSid"] = sid, ["DialCallStatus"] = "failed", ["DialCallSid"] = "null", ["token"] = CallApiFixture.WebhookToken,
        });

        var decided = await app.GetTransferAsync(transfer.Id);
        Assert.Equal("not-connected", decided.Outcome);
        Assert.Equal("failed", decided.OutcomeDetail);
        Assert.Null(decided.TargetCallSid);
    }

    [Fact]
    public async Task A_transfer_the_platform_refused_has_no_outcome_and_stray_reports_do_not_give_it_one()
    {
        var sid = await app.SeedCallAsync();
        app.CallApi.WhenMentioned(sid, ScriptedResponse.Text(500, "Timeout waiting for media server"), times: 1);
        var response = await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" });
        var problem = await ProblemAssert.AssertProblem(response, HttpStatusCode.BadGateway, null);

        await app.PostLegProgressAsync(Webhook.NewCallSid(), sid, "answered", agent: "alice", transfer: problem.TransferId, to: "alice");

        var failed = await app.GetTransferAsync(problem.TransferId!);
        Assert.Equal("failed", failed.State);
        Assert.Null(failed.Outcome);
    }

    [Fact]
    public async Task A_malformed_transfer_parameter_is_ignored_not_stored()
    {
        var sid = await app.SeedCallAsync(status: "ringing");
        var leg = Webhook.NewCallSid();
        await app.PostLegProgressAsync(leg, sid, "answered", transfer: "not-an-id");

        var stored = await app.GetCallAsync(leg);
        Assert.Equal("in-progress", stored.CallStatus);
        Assert.DoesNotContain("transfer", stored.Parameters.Keys);
    }
}
