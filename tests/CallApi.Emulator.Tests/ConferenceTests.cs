using System.Text.Json;
using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>Dial to Conference (docs/platform.md §8): membership, mute in the room, the wait rule, endConferenceOnExit.</summary>
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
        var sid = await fx.AnsweredCallRunningAsync(p + "/a", $"<Response><Dial><Conference>{p}-room</Conference></Dial></Response>",
            "client:trent");

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

    private static string Room(string room, string attributes = "", string action = "") =>
        $"<Response><Dial{action}><Conference{attributes}>{room}</Conference></Dial></Response>";

    private async Task<JsonElement> MemberAsync(string room, string sid) =>
        Assert.Single(await fx.MembersOfAsync(room), m => m.GetProperty("call_sid").GetString() == sid);

    private async Task<JsonElement> RoomAsync(string room) =>
        Assert.Single((await fx.StateAsync()).GetProperty("conferences").EnumerateArray(), c => c.GetProperty("name").GetString() == room);

    [Fact]
    public async Task Participants_without_startConferenceOnEnter_wait_with_the_default_music_until_a_starter_is_present()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var first = await fx.AnsweredCallRunningAsync(p + "/a", Room(room, " startConferenceOnEnter=\"false\""), "client:alice");
        var second = await fx.AnsweredCallRunningAsync(p + "/b", Room(room, " startConferenceOnEnter=\"false\""), "client:bob");

        Assert.Equal("RUNNING_MODERATOR_ABSENT", (await RoomAsync(room)).GetProperty("status").GetString());
        var defaultMusic = new Uri(fx.Emulator.BoundAddress(),
            "/restcomm/music/electronica/teru_-_110_Downtempo_Electronic_4.wav").ToString();
        foreach (var waiting in new[] { first, second })
        {
            var member = await MemberAsync(room, waiting);
            Assert.True(member.GetProperty("waiting").GetBoolean());
            Assert.False(member.GetProperty("muted").GetBoolean());
            Assert.Equal(defaultMusic, member.GetProperty("wait_url").GetString());
        }

        var moderator = await fx.AnsweredCallRunningAsync(p + "/m", Room(room), "client:carol");

        Assert.Equal("RUNNING_MODERATOR_PRESENT", (await RoomAsync(room)).GetProperty("status").GetString());
        Assert.All(await fx.MembersOfAsync(room), m => Assert.False(m.GetProperty("waiting").GetBoolean()));
        Assert.Contains($"conference: {room} started", await fx.ActivityOfAsync(first));
        Assert.Contains("conference: beep", await fx.ActivityOfAsync(moderator));

        // Presence, not history: when the only starter leaves, the others wait again.
        await fx.ControlAsync(moderator, "hangup");
        await fx.IdleAsync();

        Assert.Equal("RUNNING_MODERATOR_ABSENT", (await RoomAsync(room)).GetProperty("status").GetString());
        Assert.All(await fx.MembersOfAsync(room), m => Assert.True(m.GetProperty("waiting").GetBoolean()));
    }

    [Fact]
    public async Task WaitUrl_is_an_audio_file_resolved_against_the_document_and_never_fetched()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var sid = await fx.AnsweredCallRunningAsync(p + "/a", Room(room,
            $" startConferenceOnEnter=\"false\" waitUrl=\"{p}/music.wav\" waitMethod=\"GET\""), "client:dave");

        Assert.Equal(fx.App.Url(p + "/music.wav"), (await MemberAsync(room, sid)).GetProperty("wait_url").GetString());
        Assert.Empty(fx.App.RequestsTo(p + "/music.wav"));
    }

    [Fact]
    public async Task Muted_attribute_mutes_the_leg_itself_until_a_modification_without_mute()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var sid = await fx.AnsweredCallRunningAsync(p + "/a", Room(room, " muted=\"true\""), "client:erin");

        Assert.True((await MemberAsync(room, sid)).GetProperty("muted").GetBoolean());
        Assert.True((await fx.GetCallAsync(sid)).GetProperty("muted").GetBoolean());

        await fx.ModifyAsync(sid, ("StatusCallback", fx.App.Url(p + "/status")));

        Assert.False((await MemberAsync(room, sid)).GetProperty("muted").GetBoolean());
    }

    [Fact]
    public async Task Member_with_endConferenceOnExit_moved_out_by_a_modification_ends_the_room_for_everyone()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var moderator = await fx.AnsweredCallRunningAsync(p + "/mod", Room(room, " endConferenceOnExit=\"true\""), "client:frank");
        var guest = await fx.AnsweredCallRunningAsync(p + "/guest", Room(room, "", $" action=\"{p}/after\""), "client:grace");
        fx.App.Script(p + "/after", "<Response><Say>the meeting is over</Say></Response>");

        await fx.ModifyAsync(moderator, ("Url", fx.App.Script(p + "/elsewhere",
            "<Response><Play loop=\"0\">http://music.test/hold.wav</Play></Response>")));
        await fx.IdleAsync();

        Assert.Empty(await fx.MembersOfAsync(room));
        Assert.Equal(guest, fx.App.SingleRequestTo(p + "/after")["CallSid"]);
        Assert.Contains("say: the meeting is over", await fx.ActivityOfAsync(guest));
        Assert.Equal(moderator, fx.App.SingleRequestTo(p + "/elsewhere")["CallSid"]);
        Assert.Equal("in-progress", await fx.StatusOfAsync(moderator));
    }

    [Fact]
    public async Task Full_room_refuses_the_next_participant_and_its_rcml_goes_on()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        await fx.AnsweredCallRunningAsync(p + "/a", Room(room, " maxParticipants=\"1\""), "client:heidi");
        var late = await fx.AnsweredCallRunningAsync(p + "/b",
            $"<Response><Dial><Conference maxParticipants=\"1\">{room}</Conference></Dial><Say>sorry, full</Say></Response>",
                "client:ivan");

        Assert.Single(await fx.MembersOfAsync(room));
        var activity = await fx.ActivityOfAsync(late);
        Assert.Contains($"conference: {room} is full", activity);
        Assert.Contains("say: sorry, full", activity);
    }
}
