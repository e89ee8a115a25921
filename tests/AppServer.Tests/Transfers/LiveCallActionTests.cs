using System.Net;
using System.Net.Http.Json;
using AppServer.Tests.Infrastructure;
using static AppServer.Tests.Infrastructure.ProblemAssert;

namespace AppServer.Tests.Transfers;

public abstract class LiveCallActionTests<TFixture>(TFixture app) : IClassFixture<TFixture> where TFixture : CallApiFixture
{
    private Task<HttpResponseMessage> HangUp(string sid) => app.Agent.PostAsync($"/calls/{sid}/hangup", null);

    private Task<HttpResponseMessage> Mute(string sid, bool muted) => app.Agent.PostAsJsonAsync($"/calls/{sid}/mute", new { muted });

    [Fact]
    public async Task Hang_up_of_an_answered_call_sends_completed_and_marks_the_call_completed()
    {
        var sid = await app.SeedCallAsync("in-progress");

        Assert.Equal(HttpStatusCode.OK, (await HangUp(sid)).StatusCode);

        var request = Assert.Single(app.CallApi.RequestsMentioning(sid));
        Assert.Equal($"{FakeCallApi.AccountPath}/Calls/{sid}.json", request.Path);
        Assert.Equal(["Status"], request.FieldNames);
        Assert.Equal("completed", request.Field("Status"));
        var call = await app.GetCallAsync(sid);
        Assert.Equal("completed", call.CallStatus);
        Assert.NotNull(call.EndedAt);
    }

    [Fact]
    public async Task Hang_up_of_an_incoming_call_answered_with_a_Dial_but_still_ringing_in_the_store_sends_completed()
    {
        // /incoming answered <Dial> to bob; Restcomm reports only the end of the call by default, so it is still "ringing" here.
        var sid = await app.SeedCallAsync("ringing");

        Assert.Equal(HttpStatusCode.OK, (await HangUp(sid)).StatusCode);

        var request = Assert.Single(app.CallApi.RequestsMentioning(sid));
        Assert.Equal(["Status"], request.FieldNames);
        Assert.Equal("completed", request.Field("Status"));
        Assert.Equal("completed", (await app.GetCallAsync(sid)).CallStatus);
    }

    /// <summary>A call the platform reported as queued/ringing and that runs no Dial of ours (e.g. created through the API).</summary>
    private async Task<string> SeedQueuedOutboundApiCallAsync()
    {
        var sid = Webhook.NewCallSid();
        await app.PostStatusAsync(sid, "queued", new Dictionary<string, string>
        {
            ["Direction"] = "outbound-api", ["From"] = "+15550001000", ["To"] = "+15557654321",
        });
        return sid;
    }

    [Fact]
    public async Task Hang_up_of_a_queued_outbound_api_call_not_in_a_dial_reads_the_live_status_and_sends_canceled()
    {
        var sid = await SeedQueuedOutboundApiCallAsync();
        app.CallApi.When(r => r.Method == "GET" && r.Mentions(sid),
            ScriptedResponse.Json(200, FakeCallApi.CallJson(sid, "queued", "outbound-api", "+15550001000", "+15557654321")));

        Assert.Equal(HttpStatusCode.OK, (await HangUp(sid)).StatusCode);

        var requests = app.CallApi.RequestsMentioning(sid);
        Assert.Equal(["GET", "POST"], requests.Select(r => r.Method));
        Assert.Equal("canceled", requests[1].Field("Status"));
        Assert.Equal("canceled", (await app.GetCallAsync(sid)).CallStatus);
    }

    [Fact]
    public async Task Hang_up_of_a_call_stored_as_queued_that_the_platform_says_is_answered_sends_completed()
    {
        var sid = await SeedQueuedOutboundApiCallAsync(); // the fake answers a read with "in-progress"

        Assert.Equal(HttpStatusCode.OK, (await HangUp(sid)).StatusCode);

        Assert.Equal("completed", app.CallApi.RequestsMentioning(sid)[^1].Field("Status"));
        Assert.Equal("completed", (await app.GetCallAsync(sid)).CallStatus);
    }

    [Fact]
    public async Task Hang_up_falls_back_to_the_stored_status_when_the_live_status_cannot_be_read()
    {
        var sid = await SeedQueuedOutboundApiCallAsync();
        app.CallApi.When(r => r.Method == "GET" && r.Mentions(sid), ScriptedResponse.Text(500, "busy"));

        var response = await HangUp(sid);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("canceled", app.CallApi.RequestsMentioning(sid)[^1].Field("Status"));
        var transfer = await response.ReadTransferAsync();
        Assert.Equal("completed", transfer.State);
        Assert.Equal(["HttpError", "Succeeded"], transfer.Requests.Select(r => r.Outcome));
    }

    [Fact]
    public async Task Hang_up_of_a_leg_ringing_inside_a_dial_sends_completed()
    {
        var parent = await app.SeedCallAsync();
        var leg = Webhook.NewCallSid();
        await app.PostStatusAsync(leg, "ringing",
            new Dictionary<string, string> { ["Direction"] = "outbound-dial", ["ParentCallSid"] = parent });

        Assert.Equal(HttpStatusCode.OK, (await HangUp(leg)).StatusCode);

        Assert.Equal("completed", Assert.Single(app.CallApi.RequestsMentioning(leg)).Field("Status"));
    }

    [Fact]
    public async Task Hang_up_of_an_ended_or_unknown_call_is_refused_without_a_platform_request()
    {
        var ended = await app.SeedCallAsync();
        await app.PostStatusAsync(ended, "completed");
        var unknown = Webhook.NewCallSid();

        await AssertProblem(await HangUp(ended), HttpStatusCode.Conflict, null);
        await AssertProblem(await HangUp(unknown), HttpStatusCode.NotFound, null);
        Assert.Empty(app.CallApi.RequestsMentioning(ended));
        Assert.Empty(app.CallApi.RequestsMentioning(unknown));
    }

    [Fact]
    public async Task Mute_sends_only_Mute_is_stored_and_is_reapplied_on_a_later_transfer_until_unmuted()
    {
        var sid = await app.SeedCallAsync();

        Assert.Equal(HttpStatusCode.OK, (await Mute(sid, true)).StatusCode);
        var mute = Assert.Single(app.CallApi.RequestsMentioning(sid));
        Assert.Equal(["Mute"], mute.FieldNames);
        Assert.Equal("true", mute.Field("Mute"));
        Assert.True((await app.GetCallAsync(sid)).Muted);

        await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" });
        Assert.Equal("true", app.CallApi.RequestsMentioning(sid)[^1].Field("Mute"));

        Assert.Equal(HttpStatusCode.OK, (await Mute(sid, false)).StatusCode);
        Assert.Equal("false", app.CallApi.RequestsMentioning(sid)[^1].Field("Mute"));
        Assert.False((await app.GetCallAsync(sid)).Muted);

        await app.PostTransferAsync(new { callSid = sid, to = "carol", mode = "cold" });
        Assert.False(app.CallApi.RequestsMentioning(sid)[^1].Has("Mute"));
    }

    [Fact]
    public async Task Mute_is_reapplied_on_the_conference_modification_of_the_caller()
    {
        var sid = await app.SeedCallAsync();
        var room = "muted-" + Guid.NewGuid().ToString("N")[..8];
        Assert.Equal(HttpStatusCode.OK, (await Mute(sid, true)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await app.PostTransferAsync(new { callSid = sid, mode = "conference", room })).StatusCode);

        var modify = app.CallApi.RequestsMentioning(room).Single(r => r.Path.EndsWith($"/Calls/{sid}.json"));
        Assert.Equal("true", modify.Field("Mute"));
    }

    [Fact]
    public async Task Mute_while_a_transfer_of_the_call_is_in_flight_is_409_and_not_lost_or_reverted()
    {
        var sid = await app.SeedCallAsync();
        app.CallApi.WhenMentioned(sid, ScriptedResponse.Slow(TimeSpan.FromSeconds(1)), times: 1);
        var transfer = app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" });
        await Task.Delay(300);

        var mute = await Mute(sid, true);

        await AssertProblem(mute, HttpStatusCode.Conflict, null);
        Assert.Equal(HttpStatusCode.OK, (await transfer).StatusCode);
        Assert.Single(app.CallApi.RequestsMentioning(sid)); // no Mute request raced the transfer's modification
        Assert.False((await app.GetCallAsync(sid)).Muted);
        Assert.Equal(HttpStatusCode.OK, (await Mute(sid, true)).StatusCode); // and it goes through once the transfer is done
    }

    [Fact]
    public async Task Mute_without_a_muted_value_is_400()
    {
        var sid = await app.SeedCallAsync();
        await AssertProblem(await app.Agent.PostAsJsonAsync($"/calls/{sid}/mute", new { }), HttpStatusCode.BadRequest, "muted");
        Assert.Empty(app.CallApi.RequestsMentioning(sid));
    }
}

/// <summary>On SQLite.</summary>
public sealed class SqliteLiveCallActionTests(CallApiFixture app) : LiveCallActionTests<CallApiFixture>(app);

/// <summary>On PostgreSQL.</summary>
public sealed class PostgreSqlLiveCallActionTests(PostgresCallApiFixture app) : LiveCallActionTests<PostgresCallApiFixture>(app);
