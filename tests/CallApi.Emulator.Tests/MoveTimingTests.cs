using System.Diagnostics;
using System.Net;
using CallApi.Emulator.Scenario;
using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>The emulator with the platform's own move delays (500 ms for the modified leg, 1000 ms for its partner).</summary>
public sealed class MoveTimingFixture : EmulatorFixture
{
    protected override void Configure(EmulatorOptions options)
    {
        var platform = new ScenarioOptions();
        options.Scenario.MoveDelayMs = platform.MoveDelayMs;
        options.Scenario.MovePartnerDelayMs = platform.MovePartnerDelayMs;
    }
}

/// <summary>When a moved leg and the other leg of its Dial request their new Url (docs/platform.md §8).</summary>
public sealed class MoveTimingTests(MoveTimingFixture fx) : IClassFixture<MoveTimingFixture>
{
    private static readonly TimeSpan MoveDelay = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan PartnerDelay = TimeSpan.FromMilliseconds(1000);

    // Timers may fire a hair before the wall clock agrees; a move is never early by more than this.
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMilliseconds(20);

    [Fact]
    public void Platform_defaults_are_500_and_1000_ms()
    {
        var defaults = new ScenarioOptions();

        Assert.Equal(500, defaults.MoveDelayMs);
        Assert.Equal(1000, defaults.MovePartnerDelayMs);
    }

    [Fact]
    public async Task Modified_leg_requests_its_new_url_after_the_move_delay_and_its_partner_is_hung_up_at_once()
    {
        var p = fx.NewPrefix();
        var (caller, callee) = await fx.BridgedCallAsync(p, "alice");
        var next = fx.App.Script(p + "/next", "<Response><Pause length=\"1\"/></Response>");

        var modifiedAt = DateTimeOffset.UtcNow;
        var response = await fx.ModifyAsync(caller, ("Url", next));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("completed", await fx.StatusOfAsync(callee));
        await fx.IdleAsync();
        var fetch = fx.App.SingleRequestTo(p + "/next");
        Assert.Equal(caller, fetch["CallSid"]);
        Assert.True(fetch.At - modifiedAt >= MoveDelay - ClockSlack,
            $"fetched {(fetch.At - modifiedAt).TotalMilliseconds} ms after the modification");
    }

    [Fact]
    public async Task With_MoveConnectedCallLeg_the_partner_requests_the_same_url_later_with_its_own_CallSid()
    {
        var p = fx.NewPrefix();
        var (caller, callee) = await fx.BridgedCallAsync(p, "bob");
        var next = fx.App.Script(p + "/next", "<Response><Pause length=\"1\"/></Response>");

        var modifiedAt = DateTimeOffset.UtcNow;
        await fx.ModifyAsync(callee, ("Url", next), ("MoveConnectedCallLeg", "true"));
        await fx.IdleAsync();

        var fetches = fx.App.RequestsTo(p + "/next");
        Assert.Equal([callee, caller], fetches.Select(f => f["CallSid"]));
        Assert.True(fetches[0].At - modifiedAt >= MoveDelay - ClockSlack,
            $"modified leg fetched after {(fetches[0].At - modifiedAt).TotalMilliseconds} ms");
        Assert.True(fetches[1].At - modifiedAt >= PartnerDelay - ClockSlack,
            $"partner fetched after {(fetches[1].At - modifiedAt).TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Both_legs_hear_silence_until_each_requests_the_new_url()
    {
        var p = fx.NewPrefix();
        var (caller, callee) = await fx.BridgedCallAsync(p, "heidi");
        var next = fx.App.Script(p + "/next", "<Response><Play loop=\"0\">http://music.test/hold.wav</Play></Response>");

        var watch = Stopwatch.StartNew();
        await fx.ModifyAsync(caller, ("Url", next), ("MoveConnectedCallLeg", "true"));
        var callerMeanwhile = await fx.HearsAsync(caller);
        var calleeMeanwhile = await fx.HearsAsync(callee);
        var readAfter = watch.Elapsed;
        await fx.IdleAsync();

        // Neither move can start before its delay; only a machine too loaded to read the state in 480 ms skips this.
        if (readAfter < MoveDelay - ClockSlack)
        {
            Assert.Equal(Hears.Silence(), callerMeanwhile);
            Assert.Equal(Hears.Silence(), calleeMeanwhile);
        }
        Assert.Equal(Hears.Music("http://music.test/hold.wav"), await fx.HearsAsync(caller));
        Assert.Equal(Hears.Music("http://music.test/hold.wav"), await fx.HearsAsync(callee));
    }

    [Fact]
    public async Task Pending_move_is_busy_work_so_idle_waits_for_the_new_url()
    {
        var p = fx.NewPrefix();
        var (caller, _) = await fx.BridgedCallAsync(p, "carol");
        var next = fx.App.Script(p + "/next", "<Response><Say>moved</Say></Response>");

        await fx.ModifyAsync(caller, ("Url", next));
        var idleAtOnce = await fx.Emulator.WaitForIdleAsync(TimeSpan.Zero);
        await fx.IdleAsync();

        Assert.False(idleAtOnce);
        Assert.Single(fx.App.RequestsTo(p + "/next"));
        Assert.Contains("say: moved", await fx.ActivityOfAsync(caller));
    }

    [Fact]
    public async Task Hang_up_during_the_wait_cancels_the_pending_start()
    {
        var p = fx.NewPrefix();
        var (caller, _) = await fx.BridgedCallAsync(p, "dave");

        await fx.ModifyAsync(caller, ("Url", fx.App.Url(p + "/never")));
        await fx.ControlAsync(caller, "hangup");
        await fx.IdleAsync();

        Assert.Empty(fx.App.RequestsTo(p + "/never"));
        Assert.Equal("completed", await fx.StatusOfAsync(caller));
    }

    [Fact]
    public async Task Newer_modification_during_the_wait_replaces_the_pending_start()
    {
        var p = fx.NewPrefix();
        var (caller, _) = await fx.BridgedCallAsync(p, "erin");
        var second = fx.App.Script(p + "/second", "<Response><Say>second</Say></Response>");

        await fx.ModifyAsync(caller, ("Url", fx.App.Url(p + "/first")));
        await fx.ModifyAsync(caller, ("Url", second));
        await fx.IdleAsync();

        Assert.Empty(fx.App.RequestsTo(p + "/first"));
        Assert.Equal(caller, fx.App.SingleRequestTo(p + "/second")["CallSid"]);
    }

    [Fact]
    public async Task Leg_in_a_room_moves_alone_after_the_move_delay()
    {
        var p = fx.NewPrefix();
        var room = $"<Response><Dial><Conference>{p}-room</Conference></Dial></Response>";
        var first = await fx.AnsweredCallRunningAsync(p + "/a", room, "client:frank");
        var second = await fx.AnsweredCallRunningAsync(p + "/b", room, "client:grace");
        var next = fx.App.Script(p + "/next", "<Response><Pause length=\"1\"/></Response>");

        var modifiedAt = DateTimeOffset.UtcNow;
        await fx.ModifyAsync(first, ("Url", next), ("MoveConnectedCallLeg", "true"));
        await fx.IdleAsync();

        var fetch = fx.App.SingleRequestTo(p + "/next");
        Assert.Equal(first, fetch["CallSid"]);
        Assert.True(fetch.At - modifiedAt >= MoveDelay - ClockSlack);
        Assert.Equal([second], (await fx.MembersOfAsync(p + "-room")).Select(m => m.GetProperty("call_sid").GetString()));
        Assert.Equal("in-progress", await fx.StatusOfAsync(second));
    }
}
