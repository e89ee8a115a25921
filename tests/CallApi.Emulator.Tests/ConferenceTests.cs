using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>Dial to Conference: membership, mute in the room, endConferenceOnExit.</summary>
public sealed class ConferenceTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Calls_dialling_the_same_room_are_its_members_until_they_hang_up()
    {
        var p = fx.NewPrefix();
        var rcml = $"<Response><Dial><Conference>{p}-room</Conference></Dial></Response>";
        var first = await fx.AnsweredCallRunningAsync(p + "/a", rcml, "+15550009001");
        var second = await fx.AnsweredCallRunningAsync(p + "/b", rcml, "sip:peggy@example.com");

        var members = (await fx.MembersOfAsync(p + "-room")).Select(m => m.GetProperty("call_sid").GetString()).ToList();
        Assert.Equal([first, second], members);
        Assert.Equal(p + "-room", (await fx.LegAsync(first)).GetProperty("conference").GetString());

        await fx.ControlAsync(first, "hangup");
        await fx.IdleAsync();

        Assert.Equal([second], (await fx.MembersOfAsync(p + "-room")).Select(m => m.GetProperty("call_sid").GetString()));
    }

    [Fact]
    public async Task Muted_leg_shows_muted_in_the_room()
    {
        var p = fx.NewPrefix();
        var sid = await fx.AnsweredCallRunningAsync(p + "/a", $"<Response><Dial><Conference>{p}-room</Conference></Dial></Response>", "client:trent");

        await fx.ModifyAsync(sid, ("Mute", "true"));

        Assert.True(Assert.Single(await fx.MembersOfAsync(p + "-room")).GetProperty("muted").GetBoolean());
    }

    [Fact]
    public async Task Member_with_endConferenceOnExit_ends_the_room_and_the_others_go_on_with_their_rcml()
    {
        var p = fx.NewPrefix();
        var moderator = await fx.AnsweredCallRunningAsync(p + "/mod",
            $"<Response><Dial><Conference endConferenceOnExit=\"true\">{p}-room</Conference></Dial></Response>", "client:victor");
        var guest = await fx.AnsweredCallRunningAsync(p + "/guest",
            $"<Response><Dial action=\"{p}/after\"><Conference>{p}-room</Conference></Dial></Response>", "client:walter");
        Assert.Equal(2, (await fx.MembersOfAsync(p + "-room")).Count);

        await fx.ControlAsync(moderator, "hangup");
        await fx.IdleAsync();

        Assert.Empty(await fx.MembersOfAsync(p + "-room"));
        var after = fx.App.SingleRequestTo(p + "/after");
        Assert.Equal(guest, after["CallSid"]);
        Assert.Equal("completed", after["DialCallStatus"]);
        Assert.Equal("completed", await fx.StatusOfAsync(guest));
    }
}
