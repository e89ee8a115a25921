using System.Net;
using System.Net.Http.Json;
using AppServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AppServer.Tests.Infrastructure.ProblemAssert;

namespace AppServer.Tests.Transfers;

public class CallApiFailureTests(CallApiFixture app) : IClassFixture<CallApiFixture>
{
    private Task<HttpResponseMessage> TransferAgainst(string sid, ScriptedResponse platformAnswer)
    {
        app.CallApi.WhenMentioned(sid, platformAnswer);
        return app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" });
    }

    private async Task<ApiTransfer> FailedTransfer(ApiProblem problem)
    {
        Assert.NotNull(problem.TransferId);
        var transfer = await app.GetTransferAsync(problem.TransferId);
        Assert.Equal("failed", transfer.State);
        return transfer;
    }

    [Fact]
    public async Task Platform_500_is_a_502_with_its_message_and_the_transfer_is_recorded_failed()
    {
        var sid = await app.SeedCallAsync();

        var response = await TransferAgainst(sid, ScriptedResponse.Text(500, "Timeout waiting for media server"));

        var problem = await AssertProblem(response, HttpStatusCode.BadGateway, null);
        Assert.Contains("Timeout waiting for media server", problem.Detail);
        var transfer = await FailedTransfer(problem);
        Assert.Equal("Timeout waiting for media server", transfer.FailureReason);
        Assert.Equal(500, transfer.PlatformStatus);
        var logged = Assert.Single(transfer.Requests);
        Assert.Equal("Timeout waiting for media server", logged.ResponseBody);
        Assert.Equal("HttpError", logged.Outcome);
        Assert.Equal("in-progress", (await app.GetCallAsync(sid)).CallStatus); // last good state kept
        Assert.Equal("bob", (await app.GetCallAsync(sid)).Agent);
    }

    [Theory]
    [InlineData("Cannot fetch http://appserver.test/CallToAlice?token=hook-secret: connection refused")]
    [InlineData("{\"message\":\"Bad Url http://appserver.test/CallToAlice?room=a\\u0026token=hook-secret\"}")]
    [InlineData("Bad Url http%3A%2F%2Fappserver.test%2FCallToAlice%3Ftoken%3Dhook-secret")]
    public async Task The_webhook_token_echoed_by_the_platform_is_masked_in_the_problem_and_the_stored_transfer(string echo)
    {
        var sid = await app.SeedCallAsync();

        var response = await TransferAgainst(sid, ScriptedResponse.Text(500, echo));

        var problem = await AssertProblem(response, HttpStatusCode.BadGateway, null);
        Assert.DoesNotContain(CallApiFixture.WebhookToken, await response.Content.ReadAsStringAsync());
        Assert.Contains("***", problem.Detail);
        var transfer = await FailedTransfer(problem);
        Assert.DoesNotContain(CallApiFixture.WebhookToken, ApiJson.Serialize(transfer)); // every member: unknown ones are refused
        Assert.Contains("***", transfer.FailureReason);
        Assert.Contains("***", transfer.Requests[0].ResponseBody);
    }

    [Fact]
    public async Task The_webhook_token_echoed_in_a_successful_answer_is_masked_in_the_stored_request()
    {
        var sid = await app.SeedCallAsync();
        var echo = $"{{\"sid\":\"{sid}\",\"status\":\"in-progress\",\"uri\":\"{CallApiFixture.Public("/CallToAlice")}\"}}";

        var response = await TransferAgainst(sid, ScriptedResponse.Json(200, echo));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(CallApiFixture.WebhookToken, await response.Content.ReadAsStringAsync());
        var transfer = await response.ReadTransferAsync();
        Assert.Contains("token=***", transfer.Requests[0].ResponseBody);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task Platform_refusing_the_credentials_is_a_502_saying_so(int status)
    {
        var sid = await app.SeedCallAsync();

        var response = await TransferAgainst(sid, ScriptedResponse.Empty(status));

        var problem = await AssertProblem(response, HttpStatusCode.BadGateway, null);
        Assert.Contains("CallApi:AuthToken", problem.Detail);
        await FailedTransfer(problem);
    }

    [Fact]
    public async Task Platform_410_marks_the_call_ended_and_answers_409()
    {
        var sid = await app.SeedCallAsync();

        var response = await TransferAgainst(sid, ScriptedResponse.Text(410, "Call is already completed."));

        var problem = await AssertProblem(response, HttpStatusCode.Conflict, null);
        Assert.Contains("Call is already completed.", problem.Detail);
        Assert.Equal("Call is already completed.", (await FailedTransfer(problem)).FailureReason);
        Assert.Equal("completed", (await app.GetCallAsync(sid)).CallStatus);
    }

    [Fact]
    public async Task Platform_406_marks_the_call_ended_and_answers_404()
    {
        var sid = await app.SeedCallAsync();

        var response = await TransferAgainst(sid, ScriptedResponse.Empty(406));

        var problem = await AssertProblem(response, HttpStatusCode.NotFound, null);
        await FailedTransfer(problem);
        var call = await app.GetCallAsync(sid);
        Assert.Equal("completed", call.CallStatus);
        Assert.NotNull(call.EndedAt);
    }

    [Theory]
    [InlineData(404, "The requested resource is not available.")]
    [InlineData(400, "")]
    public async Task Other_platform_4xx_are_502_with_its_message_even_when_the_body_is_empty(int status, string body)
    {
        var sid = await app.SeedCallAsync();

        var response = await TransferAgainst(sid, ScriptedResponse.Text(status, body));

        var problem = await AssertProblem(response, HttpStatusCode.BadGateway, null);
        Assert.Contains(body.Length > 0 ? body : "empty body", problem.Detail);
        await FailedTransfer(problem);
    }

    [Theory]
    [InlineData("{\"sid\": ")]
    [InlineData("<html>oops</html>")]
    [InlineData("[1,2]")]
    public async Task Malformed_json_from_the_platform_is_a_502_not_a_crash(string body)
    {
        var sid = await app.SeedCallAsync();

        var response = await TransferAgainst(sid, ScriptedResponse.Json(200, body));

        var problem = await AssertProblem(response, HttpStatusCode.BadGateway, null);
        var transfer = await FailedTransfer(problem);
        Assert.Equal("InvalidResponse", transfer.Requests[0].Outcome);
    }

    [Fact]
    public async Task Modify_is_retried_once_after_a_dropped_connection()
    {
        var sid = await app.SeedCallAsync();
        app.CallApi.WhenMentioned(sid, ScriptedResponse.Dropped(), times: 1);

        var response = await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, app.CallApi.RequestsMentioning(sid).Count);
        var transfer = await response.ReadTransferAsync();
        Assert.Equal(["ConnectionFailed", "Succeeded"], transfer.Requests.Select(r => r.Outcome));
    }

    [Fact]
    public async Task Create_call_is_never_retried_after_a_dropped_connection()
    {
        var sid = await app.SeedCallAsync();
        var room = "drop-" + Guid.NewGuid().ToString("N")[..8];
        app.CallApi.When(r => r.Mentions(room) && r.Path.EndsWith("/Calls.json"), ScriptedResponse.Dropped());

        var response = await app.PostTransferAsync(new { callSid = sid, mode = "conference", room });

        await AssertProblem(response, HttpStatusCode.BadGateway, null);
        Assert.Single(app.CallApi.RequestsMentioning(room), r => r.Path.EndsWith("/Calls.json"));
    }

    [Fact]
    public async Task Idempotent_replay_of_a_failed_transfer_returns_the_same_problem_without_a_new_request()
    {
        var sid = await app.SeedCallAsync();
        app.CallApi.WhenMentioned(sid, ScriptedResponse.Text(500, "boom"));
        var key = Guid.NewGuid().ToString();
        var body = new { callSid = sid, to = "alice", mode = "cold" };

        var first = await app.PostTransferAsync(body, key);
        var again = await app.PostTransferAsync(body, key);

        var firstProblem = await AssertProblem(first, HttpStatusCode.BadGateway, null);
        var againProblem = await AssertProblem(again, HttpStatusCode.BadGateway, null);
        Assert.NotNull(firstProblem.TransferId);
        Assert.Equal(firstProblem.TransferId, againProblem.TransferId);
        Assert.Equal(firstProblem.Detail, againProblem.Detail);
        Assert.Single(app.CallApi.RequestsMentioning(sid));
    }

    [Fact]
    public async Task Agent_hanging_up_mid_request_leaves_the_transfer_failed_not_pending()
    {
        var sid = await app.SeedCallAsync();
        app.CallApi.WhenMentioned(sid, ScriptedResponse.Slow(TimeSpan.FromSeconds(3)), times: 1);
        using var impatient = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            app.Agent.PostAsJsonAsync("/transfer", new { callSid = sid, to = "alice", mode = "cold" }, impatient.Token));

        string? state = null;
        for (var i = 0; i < 50 && state is not "failed"; i++)
        {
            await Task.Delay(50);
            state = await app.Factory.QueryDatabaseAsync(db =>
                db.Actions.Where(t => t.CallSid == sid).Select(t => t.State).SingleOrDefaultAsync());
        }
        Assert.Equal("failed", state);
        var retry = await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" });
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode); // nothing left pending blocks the call
    }
}
