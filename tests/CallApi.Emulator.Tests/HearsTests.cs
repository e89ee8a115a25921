using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>What each leg hears (GET /emulator/calls/{sid}/hears and the state view) in the scenarios AppServer builds.</summary>
public sealed class HearsTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private const string HoldMusic = "http://music.test/hold.wav";

    private static string Room(string room, string attributes = "") =>
        $"<Response><Dial><Conference{attributes}>{room}</Conference></Dial></Response>";

    [Fact]
    public async Task Caller_hears_ringback_while_its_dial_rings_and_then_each_party_hears_the_other()
    {
        var p = fx.NewPrefix();
        fx.Emulator.Scenario().Set("client:alice", "manual");
        var caller = await fx.AnsweredCallRunningAsync(p + "/dial", "<Response><Dial><Client>alice</Client></Dial></Response>");
        var alice = Assert.Single(await fx.ChildrenOfAsync(caller)).GetProperty("sid").GetString()!;

        Assert.Equal(Hears.Ringback, await fx.HearsAsync(caller));
        Assert.Equal(Hears.Silence(), await fx.HearsAsync(alice));

        await fx.ControlAsync(alice, "answer");
        await fx.IdleAsync();

        Assert.Equal(Hears.Partner(alice), await fx.HearsAsync(caller));
        Assert.Equal(Hears.Partner(caller), await fx.HearsAsync(alice));
    }

    [Fact]
    public async Task Muted_partner_is_not_heard_but_hears_the_other()
    {
        var p = fx.NewPrefix();
        var (caller, bob) = await fx.BridgedCallAsync(p, "bob");

        await fx.ModifyAsync(bob, ("Mute", "true"));

        Assert.Equal(new Hears("partner", "", null, null), await fx.HearsAsync(caller));
        Assert.Equal(Hears.Partner(caller), await fx.HearsAsync(bob));
    }

    [Fact]
    public async Task Bobs_leg_moved_with_its_partner_to_a_url_that_answers_each_leg_differently()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var (caller, bob) = await fx.BridgedCallAsync(p, "carol");
        fx.App.ScriptFor(p + "/split", caller, $"<Response><Play loop=\"0\">{HoldMusic}</Play></Response>");
        var split = fx.App.ScriptFor(p + "/split", bob, Room(room));

        await fx.ModifyAsync(bob, ("Url", split), ("MoveConnectedCallLeg", "true"));
        await fx.IdleAsync();

        Assert.Equal(Hears.Music(HoldMusic), await fx.HearsAsync(caller));
        Assert.Equal(Hears.Silence(room), await fx.HearsAsync(bob));
        Assert.Equal("in-progress", await fx.StatusOfAsync(caller));

        // The caller is moved on its own (no partner any more) into bob's room.
        await fx.ModifyAsync(caller, ("Url", fx.App.Script(p + "/join", Room(room))));
        await fx.IdleAsync();

        Assert.Equal(Hears.InRoom(room, bob), await fx.HearsAsync(caller));
        Assert.Equal(Hears.InRoom(room, caller), await fx.HearsAsync(bob));
    }

    [Fact]
    public async Task Muted_member_is_not_heard_by_the_others_and_hears_them()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var a = await fx.AnsweredCallRunningAsync(p + "/a", Room(room), "client:dave");
        var b = await fx.AnsweredCallRunningAsync(p + "/b", Room(room), "client:erin");
        var c = await fx.AnsweredCallRunningAsync(p + "/c", Room(room, " muted=\"true\""), "client:frank");

        Assert.Equal(Hears.InRoom(room, b), await fx.HearsAsync(a));
        Assert.Equal(Hears.InRoom(room, a), await fx.HearsAsync(b));
        Assert.Equal(Hears.InRoom(room, a, b), await fx.HearsAsync(c));

        await fx.ModifyAsync(b, ("Mute", "true"));

        Assert.Equal(Hears.InRoom(room), await fx.HearsAsync(a));
        Assert.Equal(Hears.InRoom(room, a), await fx.HearsAsync(b));

        // A modification without Mute unmutes (docs/platform.md §4), whatever the noun said.
        await fx.ModifyAsync(c, ("StatusCallback", fx.App.Url(p + "/status")));

        Assert.Equal(Hears.InRoom(room, c), await fx.HearsAsync(a));
    }

    [Fact]
    public async Task Participant_without_startConferenceOnEnter_hears_wait_music_until_a_starter_joins()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var waiter = await fx.AnsweredCallRunningAsync(p + "/w", Room(room, $" startConferenceOnEnter=\"false\" waitUrl=\"{HoldMusic}\""),
            "client:grace");
        var other = await fx.AnsweredCallRunningAsync(p + "/o", Room(room, " startConferenceOnEnter=\"false\""), "client:heidi");

        Assert.Equal(Hears.Music(HoldMusic, room), await fx.HearsAsync(waiter));
        var defaultMusic = new Uri(fx.Emulator.BoundAddress(),
            "/restcomm/music/electronica/teru_-_110_Downtempo_Electronic_4.wav").ToString();
        Assert.Equal(Hears.Music(defaultMusic, room), await fx.HearsAsync(other));

        var starter = await fx.AnsweredCallRunningAsync(p + "/s", Room(room), "client:ivan");

        Assert.Equal(Hears.InRoom(room, other, starter), await fx.HearsAsync(waiter));
        Assert.Equal(Hears.InRoom(room, waiter, other), await fx.HearsAsync(starter));
    }

    [Fact]
    public async Task Member_with_endConferenceOnExit_moved_out_leaves_the_others_to_their_next_verbs()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var moderator = await fx.AnsweredCallRunningAsync(p + "/m", Room(room, " endConferenceOnExit=\"true\""), "client:judy");
        var guest = await fx.AnsweredCallRunningAsync(p + "/g",
            $"<Response><Dial><Conference>{room}</Conference></Dial><Play loop=\"0\">{HoldMusic}</Play></Response>", "client:mallory");
        Assert.Equal(Hears.InRoom(room, guest), await fx.HearsAsync(moderator));

        await fx.ModifyAsync(moderator, ("Url", fx.App.Script(p + "/away",
            "<Response><Play loop=\"0\">http://music.test/other.wav</Play></Response>")));
        await fx.IdleAsync();

        Assert.Equal(Hears.Music(HoldMusic), await fx.HearsAsync(guest));
        Assert.Equal(Hears.Music("http://music.test/other.wav"), await fx.HearsAsync(moderator));
        Assert.Empty(await fx.MembersOfAsync(room));
    }

    [Fact]
    public async Task Leg_on_looping_music_is_moved_into_a_room_by_a_modification()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var member = await fx.AnsweredCallRunningAsync(p + "/r", Room(room), "client:oscar");
        var held = await fx.AnsweredCallRunningAsync(p + "/h", $"<Response><Play loop=\"0\">{HoldMusic}</Play></Response>", "client:peggy");
        Assert.Equal(Hears.Music(HoldMusic), await fx.HearsAsync(held));
        Assert.Equal(Hears.Silence(room), await fx.HearsAsync(member));

        await fx.ModifyAsync(held, ("Url", fx.App.Script(p + "/back", Room(room))));
        await fx.IdleAsync();

        Assert.Equal(Hears.InRoom(room, member), await fx.HearsAsync(held));
        Assert.Equal(Hears.InRoom(room, held), await fx.HearsAsync(member));
    }

    [Fact]
    public async Task Hears_is_null_once_the_leg_ended_and_404_for_an_unknown_leg()
    {
        var p = fx.NewPrefix();
        var sid = await fx.AnsweredCallRunningAsync(p + "/bye", "<Response><Hangup/></Response>");

        var ended = await fx.Http.GetAsync($"/emulator/calls/{sid}/hears");
        var unknown = await fx.Http.GetAsync("/emulator/calls/ID0123456789abcdef0123456789abcdef-CA0123456789abcdef0123456789abcdef/hears");

        Assert.Equal(HttpStatusCode.OK, ended.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await ended.Content.ReadFromJsonAsync<JsonElement>()).ValueKind);
        Assert.Equal(JsonValueKind.Null, (await fx.LegAsync(sid)).GetProperty("hears").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task State_view_carries_the_same_hears_object_for_every_live_leg()
    {
        var p = fx.NewPrefix();
        var (caller, callee) = await fx.BridgedCallAsync(p, "trent");

        var hears = (await fx.LegAsync(caller)).GetProperty("hears");

        Assert.Equal(Hears.Partner(callee), Hears.Of(hears));
        Assert.Equal(["kind", "call_sids", "room", "url"], hears.EnumerateObject().Select(f => f.Name));
        Assert.Contains("partner: " + callee, await fx.Http.GetStringAsync("/"));
    }
}
