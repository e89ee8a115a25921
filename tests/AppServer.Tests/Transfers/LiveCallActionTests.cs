using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AppServer.Tests.Infrastructure;
using static AppServer.Tests.Calls.WebhookIngestTests;

namespace AppServer.Tests.Transfers;

public class LiveCallActionTests(CallApiFixture app) : IClassFixture<CallApiFixture>
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
        Assert.Equal("completed", call.GetProperty("callStatus").GetString());
        Assert.NotEqual(JsonValueKind.Null, call.GetProperty("endedAt").ValueKind);
    }

    [Fact]
    public async Task Hang_up_of_an_incoming_call_still_ringing_sends_canceled()
    {
        var sid = await app.SeedCallAsync("ringing");

        Assert.Equal(HttpStatusCode.OK, (await HangUp(sid)).StatusCode);

        Assert.Equal("canceled", Assert.Single(app.CallApi.RequestsMentioning(sid)).Field("Status"));
        Assert.Equal("canceled", (await app.GetCallAsync(sid)).GetProperty("callStatus").GetString());
    }

    [Fact]
    public async Task Hang_up_of_a_leg_ringing_inside_a_dial_sends_completed()
    {
        var parent = await app.SeedCallAsync();
        var leg = Webhook.NewCallSid();
        await app.PostStatusAsync(leg, "ringing", new Dictionary<string, string> { ["Direction"] = "outbound-dial", ["ParentCallSid"] = parent });

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
        Assert.True((await app.GetCallAsync(sid)).GetProperty("muted").GetBoolean());

        await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" });
        Assert.Equal("true", app.CallApi.RequestsMentioning(sid)[^1].Field("Mute"));

        Assert.Equal(HttpStatusCode.OK, (await Mute(sid, false)).StatusCode);
        Assert.Equal("false", app.CallApi.RequestsMentioning(sid)[^1].Field("Mute"));
        Assert.False((await app.GetCallAsync(sid)).GetProperty("muted").GetBoolean());

        await app.PostTransferAsync(new { callSid = sid, to = "carol", mode = "cold" });
        Assert.False(app.CallApi.RequestsMentioning(sid)[^1].Has("Mute"));
    }

    [Fact]
    public async Task Mute_without_a_muted_value_is_400()
    {
        var sid = await app.SeedCallAsync();
        await AssertProblem(await app.Agent.PostAsJsonAsync($"/calls/{sid}/mute", new { }), HttpStatusCode.BadRequest, "muted");
        Assert.Empty(app.CallApi.RequestsMentioning(sid));
    }
}
