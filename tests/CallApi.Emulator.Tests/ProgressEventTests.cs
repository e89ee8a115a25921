using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>
/// Call progress events (docs/platform.md §8) as Restcomm sends them: subscribed per noun (statusCallbackEvent) or per
/// created call (StatusCallbackEvent), split on commas without trimming, CallStatus = the event, a fixed SequenceNumber.
/// </summary>
public sealed class ProgressEventTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private async Task<(string Caller, string Callee)> DialWithProgressAsync(string p, string noun)
    {
        var caller = await fx.AnsweredCallRunningAsync(p + "/dial", $"<Response><Dial>{noun}</Dial></Response>");
        var callee = Assert.Single(await fx.ChildrenOfAsync(caller)).GetProperty("sid").GetString()!;
        return (caller, callee);
    }

    [Fact]
    public async Task Event_list_with_a_space_after_the_comma_does_not_subscribe_to_the_second_event()
    {
        var p = fx.NewPrefix();
        var (_, callee) = await DialWithProgressAsync(p,
            $"<Client statusCallback=\"{p}/progress\" statusCallbackEvent=\"initiated, ringing\">alice</Client>");
        await fx.ControlAsync(callee, "hangup");
        await fx.IdleAsync();

        var progress = Assert.Single(fx.App.RequestsTo(p + "/progress"));
        Assert.Equal("initiated", progress["CallStatus"]);
        Assert.Equal("0", progress["SequenceNumber"]);
    }

    [Fact]
    public async Task Events_are_case_sensitive_and_carry_their_own_sequence_number()
    {
        var p = fx.NewPrefix();
        var (caller, callee) = await DialWithProgressAsync(p,
            $"<Number statusCallback=\"{p}/progress\" statusCallbackEvent=\"Initiated,ringing,completed\">+15550011001</Number>");
        await fx.ControlAsync(callee, "hangup");
        await fx.IdleAsync();

        var events = fx.App.RequestsTo(p + "/progress");
        Assert.Equal(["ringing", "completed"], events.Select(e => e["CallStatus"]));
        Assert.Equal(["1", "3"], events.Select(e => e["SequenceNumber"]));
        Assert.All(events, e =>
        {
            Assert.Equal(callee, e["CallSid"]);
            Assert.Equal(caller, e["ParentCallSid"]);
            Assert.Equal("call-progress-events", e["CallbackSource"]);
        });
        Assert.NotNull(events[^1]["CallDuration"]);
    }

    [Fact]
    public async Task Noun_with_a_status_callback_and_no_event_list_reports_every_event()
    {
        var p = fx.NewPrefix();
        var (_, callee) = await DialWithProgressAsync(p,
            $"<Sip statusCallback=\"{p}/progress\" statusCallbackMethod=\"GET\">sip:bob@example.com</Sip>");
        await fx.ControlAsync(callee, "hangup");
        await fx.IdleAsync();

        var events = fx.App.RequestsTo(p + "/progress");
        Assert.Equal(["initiated", "ringing", "answered", "completed"], events.Select(e => e["CallStatus"]));
        Assert.All(events, e => Assert.Equal("GET", e.Method));
    }

    [Fact]
    public async Task Completed_event_of_a_busy_leg_says_completed_while_the_leg_is_busy()
    {
        var p = fx.NewPrefix();
        fx.Emulator.Scenario().Set("client:carol", "busy");
        var (_, callee) = await DialWithProgressAsync(p,
            $"<Client statusCallback=\"{p}/progress\" statusCallbackEvent=\"completed\">carol</Client>");

        Assert.Equal("busy", await fx.StatusOfAsync(callee));
        var completed = fx.App.SingleRequestTo(p + "/progress");
        Assert.Equal("completed", completed["CallStatus"]);
        Assert.Equal("0", completed["CallDuration"]);
    }

    [Fact]
    public async Task Created_call_reports_the_subscribed_events_like_a_noun_without_a_parent()
    {
        var p = fx.NewPrefix();
        var sid = (await fx.CreateCallAsync(
            ("From", "+15550001111"), ("To", "client:dave"),
            ("Url", fx.App.Script(p + "/bye", "<Response><Hangup/></Response>")),
            ("StatusCallback", fx.App.Url(p + "/status")),
            ("StatusCallbackEvent", " initiated,answered,completed "))).GetProperty("sid").GetString()!;
        await fx.IdleAsync();

        var events = fx.App.RequestsTo(p + "/status");
        Assert.Equal(["initiated", "answered", "completed"], events.Select(e => e["CallStatus"]));
        Assert.Equal(["0", "2", "3"], events.Select(e => e["SequenceNumber"]));
        Assert.All(events, e =>
        {
            Assert.Equal(sid, e["CallSid"]);
            Assert.Null(e["ParentCallSid"]);
            Assert.Equal("call-progress-events", e["CallbackSource"]);
        });
    }

    [Fact]
    public async Task Created_call_without_an_event_list_reports_every_event()
    {
        var p = fx.NewPrefix();
        await fx.CreateCallAsync(
            ("From", "+15550001111"), ("To", "+15550011002"),
            ("Url", fx.App.Script(p + "/bye", "<Response><Hangup/></Response>")),
            ("StatusCallback", fx.App.Url(p + "/status")));
        await fx.IdleAsync();

        Assert.Equal(["initiated", "ringing", "answered", "completed"], fx.App.RequestsTo(p + "/status").Select(e => e["CallStatus"]));
    }

    [Fact]
    public async Task Number_status_callback_of_an_incoming_call_reports_only_its_end_with_the_final_status()
    {
        fx.App.Script(EmulatorFixture.DidPath(5), "<Response><Reject reason=\"busy\"/></Response>");

        var sid = (await fx.IncomingAsync("+15550011003", EmulatorFixture.Did(5))).GetProperty("sid").GetString()!;
        await fx.IdleAsync();

        var status = fx.App.SingleRequestTo(EmulatorFixture.DidPath(5) + "/status");
        Assert.Equal(sid, status["CallSid"]);
        Assert.Equal("busy", status["CallStatus"]);
        Assert.Null(status["CallbackSource"]);
        Assert.Equal("0", status["CallDuration"]);
    }
}
