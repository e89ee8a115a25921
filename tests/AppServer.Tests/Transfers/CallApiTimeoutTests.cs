using System.Net;
using AppServer.Tests.Infrastructure;
using static AppServer.Tests.Infrastructure.ProblemAssert;

namespace AppServer.Tests.Transfers;

/// <summary>CallApi:TimeoutSeconds = 1 here: each test costs about a second, so they are few.</summary>
public class CallApiTimeoutTests(ImpatientCallApiFixture app) : IClassFixture<ImpatientCallApiFixture>
{
    [Fact]
    public async Task Platform_timeout_on_modify_is_a_504_recorded_failed_and_not_retried()
    {
        var sid = await app.SeedCallAsync();
        app.CallApi.WhenMentioned(sid, ScriptedResponse.Slow(TimeSpan.FromSeconds(5)));

        var response = await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" });

        var problem = await AssertProblem(response, HttpStatusCode.GatewayTimeout, null);
        Assert.NotNull(problem.TransferId);
        var transfer = await app.GetTransferAsync(problem.TransferId);
        Assert.Equal("failed", transfer.State);
        Assert.Equal("Timeout", transfer.Requests[0].Outcome);
        Assert.Single(app.CallApi.RequestsMentioning(sid));
        Assert.Equal("in-progress", (await app.GetCallAsync(sid)).CallStatus);
    }

    [Fact]
    public async Task Platform_timeout_on_create_call_is_a_504_and_the_call_is_not_created_twice()
    {
        var sid = await app.SeedCallAsync();
        var room = "slow-" + Guid.NewGuid().ToString("N")[..8];
        app.CallApi.When(r => r.Mentions(room) && r.Path.EndsWith("/Calls.json"), ScriptedResponse.Slow(TimeSpan.FromSeconds(5)));

        var response = await app.PostTransferAsync(new { callSid = sid, mode = "conference", room });

        await AssertProblem(response, HttpStatusCode.GatewayTimeout, null);
        Assert.Single(app.CallApi.RequestsMentioning(room), r => r.Path.EndsWith("/Calls.json"));
    }
}
