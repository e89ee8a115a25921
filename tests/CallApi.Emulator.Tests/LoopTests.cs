using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>
/// Play and Say with loop (docs/platform.md §8): loop="0" repeats until the leg is moved or ends, loop="N" plays N times.
/// </summary>
public sealed class LoopTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Play_loop_0_keeps_the_leg_on_the_music_without_busy_work_until_a_modification_moves_it()
    {
        var p = fx.NewPrefix();
        var sid = await fx.AnsweredCallRunningAsync(p + "/hold",
            "<Response><Play loop=\"0\">http://music.test/hold.wav</Play><Say>never</Say></Response>");

        Assert.Equal("in-progress", await fx.StatusOfAsync(sid));
        Assert.Contains("play: http://music.test/hold.wav (looping)", await fx.ActivityOfAsync(sid));

        await fx.ModifyAsync(sid, ("Url", fx.App.Script(p + "/next", "<Response><Say>back</Say></Response>")));
        await fx.IdleAsync();

        Assert.Equal(sid, fx.App.SingleRequestTo(p + "/next")["CallSid"]);
        var activity = await fx.ActivityOfAsync(sid);
        Assert.Contains("say: back", activity);
        Assert.DoesNotContain("say: never", activity);
        Assert.Equal("completed", await fx.StatusOfAsync(sid));
    }

    [Fact]
    public async Task Say_loop_0_repeats_until_the_person_hangs_up()
    {
        var p = fx.NewPrefix();
        var sid = await fx.AnsweredCallRunningAsync(p + "/wait", "<Response><Say loop=\"0\">please hold</Say><Hangup/></Response>");
        Assert.Equal("in-progress", await fx.StatusOfAsync(sid));

        await fx.ControlAsync(sid, "hangup");
        await fx.IdleAsync();

        Assert.Equal("completed", await fx.StatusOfAsync(sid));
        Assert.DoesNotContain("hangup", await fx.ActivityOfAsync(sid));
    }

    [Fact]
    public async Task Play_loop_n_plays_n_times_at_once_and_the_document_goes_on()
    {
        var p = fx.NewPrefix();
        var sid = await fx.AnsweredCallRunningAsync(p + "/three",
            "<Response><Play loop=\"3\">http://music.test/jingle.wav</Play><Say loop=\"1\">done</Say></Response>");

        var activity = await fx.ActivityOfAsync(sid);
        Assert.Equal(["play: http://music.test/jingle.wav (3 times)", "say: done"],
            activity.Where(a => a.StartsWith("play:") || a.StartsWith("say:")));
        Assert.Equal("completed", await fx.StatusOfAsync(sid));
    }
}
