using System.Net;
using System.Net.Http.Json;
using AppServer.Actions;
using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.Actions;

/// <summary>
/// An action a crash left pending (the process stopped between recording it and finishing it) is resolved when AppServer
/// starts again: finished as failed, its call read from the platform, and the call free for the next action at once.
/// </summary>
public class AbandonedActionRecoveryTests
{
    private static Dictionary<string, string?> Settings(FakeCallApi platform) => new()
    {
        ["CallApi:BaseUrl"] = platform.BaseUrl,
        ["CallApi:AccountSid"] = FakeCallApi.AccountSid,
        ["CallApi:AuthToken"] = FakeCallApi.AuthToken,
        ["CallApi:TimeoutSeconds"] = "5",
    };

    /// <summary>Runs a first process that stores an in-progress call and leaves a transfer of it pending, as a crash would.</summary>
    private static async Task<(string CallSid, string ActionId)> CrashDuringAnActionAsync(FakeCallApi platform, string database)
    {
        var sid = Webhook.NewCallSid();
        var actionId = "tr_" + Guid.NewGuid().ToString("N")[..12];
        await using var first = new AppServerFactory(Settings(platform), databasePath: database);
        first.StartServer();
        using var client = first.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostFormAsync("/status",
            new Dictionary<string, string> { ["CallSid"] = sid, ["CallStatus"] = "in-progress" })).StatusCode);
        await first.QueryDatabaseAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            db.Actions.Add(new CallAction
            {
                Id = actionId, CallSid = sid, Mode = ActionModes.Cold, Target = "alice", LockedCallSid = sid,
                CreatedAt = now, UpdatedAt = now,
            });
            return await db.SaveChangesAsync();
        });
        using var agent = first.CreateAgentClient();
        // While it is pending the call is taken: the state a crash leaves behind.
        Assert.Equal(HttpStatusCode.Conflict, (await MuteAsync(agent, sid)).StatusCode);
        return (sid, actionId);
    }

    private static Task<HttpResponseMessage> MuteAsync(HttpClient agent, string sid) =>
        agent.PostAsJsonAsync($"/calls/{sid}/mute", new { muted = true });

    [Fact]
    public async Task An_action_left_pending_by_a_crash_is_failed_at_start_and_the_next_action_on_the_call_runs_at_once()
    {
        await using var platform = new FakeCallApi();
        await platform.StartAsync();
        using var database = new TempDatabase();
        var (sid, actionId) = await CrashDuringAnActionAsync(platform, database.Path);
        platform.When(r => r.Method == "GET" && r.Mentions(sid),
            ScriptedResponse.Json(200, FakeCallApi.CallJson(sid, "in-progress", "inbound", "+15551234567", "+15550001000")));

        await using var second = new AppServerFactory(Settings(platform), databasePath: database.Path);
        second.StartServer();
        using var agent = second.CreateAgentClient();

        await Eventually.HoldsAsync(async () => (await agent.GetTransferAsync(actionId)).State == ActionStates.Failed,
            "the abandoned action is finished as failed");
        var abandoned = await agent.GetTransferAsync(actionId);
        Assert.Contains("stopped", abandoned.FailureReason);
        Assert.Contains(platform.RequestsMentioning(sid), r => r.Method == "GET" && r.Path.EndsWith($"/Calls/{sid}.json"));
        Assert.Equal("in-progress", (await agent.GetCallAsync(sid)).CallStatus); // the platform says it is still live
        Assert.Contains(second.Logs.Logs, e => e.Message.Contains(actionId) && e.Message.Contains("left pending"));

        Assert.Equal(HttpStatusCode.OK, (await MuteAsync(agent, sid)).StatusCode);
    }

    [Fact]
    public async Task A_call_that_ended_on_the_platform_while_AppServer_was_down_is_ended_here_at_start()
    {
        await using var platform = new FakeCallApi();
        await platform.StartAsync();
        using var database = new TempDatabase();
        var (sid, actionId) = await CrashDuringAnActionAsync(platform, database.Path);
        platform.When(r => r.Method == "GET" && r.Mentions(sid), ScriptedResponse.Text(404, "The requested resource was not found."));

        await using var second = new AppServerFactory(Settings(platform), databasePath: database.Path);
        second.StartServer();
        using var agent = second.CreateAgentClient();

        await Eventually.HoldsAsync(async () => (await agent.GetCallAsync(sid)).EndedAt is not null,
            "the call the platform no longer knows is ended here");
        Assert.Equal(ActionStates.Failed, (await agent.GetTransferAsync(actionId)).State);
        Assert.Equal("completed", (await agent.GetCallAsync(sid)).CallStatus);
    }
}
