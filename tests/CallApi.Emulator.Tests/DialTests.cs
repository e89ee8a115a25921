using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>Dial to Client/Sip/Number: ringing, answer per scenario, bridging, action and noun callbacks.</summary>
public sealed class DialTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Answered_client_is_bridged_and_action_reports_completed_when_it_hangs_up()
    {
        var p = fx.NewPrefix();
        fx.App.Script(p + "/action", "<Response><Hangup/></Response>");
        var caller = await fx.AnsweredCallRunningAsync(p + "/dial",
            $"<Response><Dial action=\"{p}/action\"><Client>erin</Client></Dial></Response>");

        var callee = Assert.Single(await fx.ChildrenOfAsync(caller));
        var calleeSid = callee.GetProperty("sid").GetString()!;
        Assert.Equal("in-progress", callee.GetProperty("status").GetString());
        Assert.Equal("outbound-dial", callee.GetProperty("direction").GetString());
        Assert.Equal("client:erin", callee.GetProperty("to").GetString());
        Assert.Equal(calleeSid, (await fx.LegAsync(caller)).GetProperty("bridged_to").GetString());
        Assert.Empty(fx.App.RequestsTo(p + "/action"));

        await fx.ControlAsync(calleeSid, "hangup");
        await fx.IdleAsync();

        var action = fx.App.SingleRequestTo(p + "/action");
        Assert.Equal(caller, action["CallSid"]);
        Assert.Equal("completed", action["DialCallStatus"]);
        Assert.Equal(calleeSid, action["DialCallSid"]);
        Assert.NotNull(action["DialCallDuration"]);
        Assert.Equal("completed", await fx.StatusOfAsync(caller));
    }

    [Theory]
    [InlineData("client:frank", "<Client>frank</Client>", "busy")]
    [InlineData("client:grace", "<Client>grace</Client>", "no-answer")]
    [InlineData("sip:heidi@example.com", "<Sip>sip:heidi@example.com</Sip>", "failed")]
    [InlineData("+15550007001", "<Number>+15550007001</Number>", "busy")]
    public async Task Unanswered_party_is_reported_to_the_action_with_its_outcome(string address, string noun, string outcome)
    {
        var p = fx.NewPrefix();
        fx.Emulator.Scenario().Set(address, outcome);
        fx.App.Script(p + "/action", "<Response><Say>voicemail</Say></Response>");

        var caller = await fx.AnsweredCallRunningAsync(p + "/dial", $"<Response><Dial action=\"{p}/action\">{noun}</Dial></Response>");

        var callee = Assert.Single(await fx.ChildrenOfAsync(caller));
        Assert.Equal(outcome, callee.GetProperty("status").GetString());
        var action = fx.App.SingleRequestTo(p + "/action");
        Assert.Equal(outcome, action["DialCallStatus"]);
        Assert.Equal(callee.GetProperty("sid").GetString(), action["DialCallSid"]);
        Assert.Contains("say: voicemail", (await fx.LegAsync(caller)).GetProperty("activity").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Dial_to_unregistered_client_fails_with_null_dial_call_sid()
    {
        var p = fx.NewPrefix();

        var caller = await fx.AnsweredCallRunningAsync(p + "/dial",
            $"<Response><Dial action=\"{p}/action\"><Client>stranger</Client></Dial></Response>");

        Assert.Empty(await fx.ChildrenOfAsync(caller));
        var action = fx.App.SingleRequestTo(p + "/action");
        Assert.Equal("failed", action["DialCallStatus"]);
        Assert.Equal("null", action["DialCallSid"]);
    }

    [Fact]
    public async Task Dial_without_action_goes_on_with_the_next_verb()
    {
        var p = fx.NewPrefix();
        fx.Emulator.Scenario().Set("+15550007002", "no-answer");

        var caller = await fx.AnsweredCallRunningAsync(p + "/dial",
            "<Response><Dial>+15550007002</Dial><Say>nobody there</Say></Response>");

        Assert.Contains("say: nobody there",
            (await fx.LegAsync(caller)).GetProperty("activity").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal("completed", await fx.StatusOfAsync(caller));
    }

    [Fact]
    public async Task Manual_party_keeps_ringing_until_answered_from_the_control_endpoint()
    {
        var p = fx.NewPrefix();
        fx.Emulator.Scenario().Set("client:judy", "manual");

        var caller = await fx.AnsweredCallRunningAsync(p + "/dial", "<Response><Dial><Client>judy</Client></Dial></Response>");
        var callee = Assert.Single(await fx.ChildrenOfAsync(caller)).GetProperty("sid").GetString()!;
        Assert.Equal("ringing", await fx.StatusOfAsync(callee));

        await fx.ControlAsync(callee, "answer");
        await fx.IdleAsync();

        Assert.Equal("in-progress", await fx.StatusOfAsync(callee));
        Assert.Equal(callee, (await fx.LegAsync(caller)).GetProperty("bridged_to").GetString());
    }

    [Fact]
    public async Task First_party_to_answer_wins_and_the_others_are_canceled()
    {
        var p = fx.NewPrefix();
        fx.Emulator.Scenario().Set("client:mallory", "manual");

        var caller = await fx.AnsweredCallRunningAsync(p + "/dial",
            "<Response><Dial><Client>mallory</Client><Client>oscar</Client></Dial></Response>");

        var legs = (await fx.ChildrenOfAsync(caller)).ToDictionary(c => c.GetProperty("to").GetString()!,
            c => c.GetProperty("status").GetString());
        Assert.Equal("canceled", legs["client:mallory"]);
        Assert.Equal("in-progress", legs["client:oscar"]);
    }

    [Fact]
    public async Task Noun_status_callback_reports_progress_events_of_the_dialled_leg()
    {
        var p = fx.NewPrefix();
        var caller = await fx.AnsweredCallRunningAsync(p + "/dial",
            $"<Response><Dial><Client statusCallback=\"{p}/progress\" "
            + "statusCallbackEvent=\"initiated,ringing,answered,completed\">ivan</Client></Dial></Response>");
        var callee = Assert.Single(await fx.ChildrenOfAsync(caller)).GetProperty("sid").GetString()!;

        await fx.ControlAsync(callee, "hangup");
        await fx.IdleAsync();

        var events = fx.App.RequestsTo(p + "/progress");
        Assert.Equal(["initiated", "ringing", "answered", "completed"], events.Select(e => e["CallStatus"]));
        Assert.Equal(["0", "1", "2", "3"], events.Select(e => e["SequenceNumber"]));
        Assert.All(events, e =>
        {
            Assert.Equal(callee, e["CallSid"]);
            Assert.Equal(caller, e["ParentCallSid"]);
            Assert.Equal("call-progress-events", e["CallbackSource"]);
        });
    }

    [Fact]
    public async Task Dialled_leg_carries_the_caller_id_and_its_parent_and_ends_with_the_caller()
    {
        var p = fx.NewPrefix();
        var caller = await fx.AnsweredCallRunningAsync(p + "/dial",
            "<Response><Dial callerId=\"+15550004444\"><Sip>sip:trent@example.com</Sip></Dial></Response>");
        var callee = Assert.Single(await fx.ChildrenOfAsync(caller));
        Assert.Equal("+15550004444", callee.GetProperty("from").GetString());
        Assert.Equal("sip:trent@example.com", callee.GetProperty("to").GetString());
        Assert.Equal(caller, callee.GetProperty("parent_call_sid").GetString());

        await fx.ControlAsync(caller, "hangup");
        await fx.IdleAsync();

        Assert.Equal("completed", await fx.StatusOfAsync(callee.GetProperty("sid").GetString()!));
    }
}
