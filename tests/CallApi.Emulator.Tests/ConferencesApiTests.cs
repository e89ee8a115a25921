using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>
/// Restcomm's Conferences and Participants resources (docs/platform.md §8): read the rooms, mute a participant; no hold,
/// kick or end-conference call exists.
/// </summary>
public sealed class ConferencesApiTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private string ConferencesPath => $"/restcomm/2012-04-24/Accounts/{EmulatorFixture.AccountSid}/Conferences";

    private static string Room(string room, string attributes = "") =>
        $"<Response><Dial><Conference{attributes}>{room}</Conference></Dial></Response>";

    private async Task<JsonElement> ConferenceNamedAsync(string room) =>
        Assert.Single((await fx.Http.GetFromJsonAsync<JsonElement>(ConferencesPath + ".json")).GetProperty("conferences").EnumerateArray(),
            c => c.GetProperty("friendly_name").GetString() == room);

    private string ParticipantPath(string conferenceSid,
        string callSid) => $"{ConferencesPath}/{conferenceSid}/Participants/{callSid}.json";

    [Fact]
    public async Task Conferences_are_listed_with_restcomm_fields_and_stay_listed_as_completed()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var a = await fx.AnsweredCallRunningAsync(p + "/a", Room(room), "client:alice");

        var listed = await ConferenceNamedAsync(room);
        var sid = listed.GetProperty("sid").GetString()!;
        Assert.Matches(new Regex("^CF[0-9a-f]{32}$"), sid);
        Assert.Equal("RUNNING_MODERATOR_PRESENT", listed.GetProperty("status").GetString());
        Assert.Equal(EmulatorFixture.AccountSid, listed.GetProperty("account_sid").GetString());
        Assert.Equal($"{ConferencesPath}/{sid}.json", listed.GetProperty("uri").GetString());
        Assert.Equal($"{ConferencesPath}/{sid}/Participants.json",
            listed.GetProperty("subresource_uris").GetProperty("participants").GetString());
        Assert.True(DateTimeOffset.TryParse(listed.GetProperty("date_created").GetString(), out _));
        Assert.True(listed.TryGetProperty("date_updated", out _));

        await fx.ControlAsync(a, "hangup");
        await fx.IdleAsync();

        var completed = await fx.Http.GetFromJsonAsync<JsonElement>($"{ConferencesPath}/{sid}");
        Assert.Equal("COMPLETED", completed.GetProperty("status").GetString());
        Assert.Empty((await fx.Http.GetFromJsonAsync<JsonElement>($"{ConferencesPath}/{sid}/Participants.json")).GetProperty(
            "calls").EnumerateArray());

        // The same room name later is a new conference.
        await fx.AnsweredCallRunningAsync(p + "/b", Room(room), "client:bob");
        var again = await fx.Http.GetFromJsonAsync<JsonElement>(
            $"{ConferencesPath}.json?FriendlyName={Uri.EscapeDataString(room)}&Status=RUNNING_MODERATOR_PRESENT");
        var running = Assert.Single(again.GetProperty("conferences").EnumerateArray());
        Assert.NotEqual(sid, running.GetProperty("sid").GetString());
    }

    [Fact]
    public async Task Room_without_a_starter_is_moderator_absent_and_its_participants_are_on_hold()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var waiter = await fx.AnsweredCallRunningAsync(p + "/w", Room(room,
            " startConferenceOnEnter=\"false\" endConferenceOnExit=\"true\""), "client:carol");
        var sid = (await ConferenceNamedAsync(room)).GetProperty("sid").GetString()!;

        var participant = await fx.Http.GetFromJsonAsync<JsonElement>(ParticipantPath(sid, waiter));

        Assert.Equal("RUNNING_MODERATOR_ABSENT", (await ConferenceNamedAsync(room)).GetProperty("status").GetString());
        Assert.Equal(waiter, participant.GetProperty("sid").GetString());
        Assert.Equal(sid, participant.GetProperty("conference_sid").GetString());
        Assert.True(participant.GetProperty("hold").GetBoolean());
        Assert.True(participant.GetProperty("muted").GetBoolean());
        Assert.False(participant.GetProperty("start_conference_on_enter").GetBoolean());
        Assert.True(participant.GetProperty("end_conference_on_enter").GetBoolean());
    }

    [Fact]
    public async Task Mute_on_a_participant_mutes_its_leg_and_answers_the_participant_as_it_was()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var a = await fx.AnsweredCallRunningAsync(p + "/a", Room(room), "client:dave");
        var b = await fx.AnsweredCallRunningAsync(p + "/b", Room(room), "client:erin");
        var sid = (await ConferenceNamedAsync(room)).GetProperty("sid").GetString()!;
        var list = await fx.Http.GetFromJsonAsync<JsonElement>($"{ConferencesPath}/{sid}/Participants.json");
        Assert.Equal(new[] { a, b }.Order(),
            list.GetProperty("calls").EnumerateArray().Select(c => c.GetProperty("sid").GetString()).Order());

        var muted = await fx.PostFormAsync(ParticipantPath(sid, b), ("Mute", "true"));

        Assert.Equal(HttpStatusCode.OK, muted.StatusCode);
        Assert.False((await muted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("muted").GetBoolean());
        Assert.True((await fx.GetCallAsync(b)).GetProperty("muted").GetBoolean());
        Assert.Equal(Hears.InRoom(room), await fx.HearsAsync(a));
        Assert.Equal(Hears.InRoom(room, a), await fx.HearsAsync(b));

        await fx.PostFormAsync(ParticipantPath(sid, b), ("Mute", "false"));

        Assert.Equal(Hears.InRoom(room, b), await fx.HearsAsync(a));
    }

    [Fact]
    public async Task Participant_post_reads_mute_only_so_a_hold_request_just_unmutes()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var a = await fx.AnsweredCallRunningAsync(p + "/a", Room(room), "client:frank");
        var b = await fx.AnsweredCallRunningAsync(p + "/b", Room(room, " muted=\"true\""), "client:grace");
        var sid = (await ConferenceNamedAsync(room)).GetProperty("sid").GetString()!;

        var response = await fx.PostFormAsync(ParticipantPath(sid, b), ("Hold", "true"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await fx.Http.GetFromJsonAsync<JsonElement>(ParticipantPath(sid, b))).GetProperty("muted").GetBoolean());
        Assert.Equal(Hears.InRoom(room, b), await fx.HearsAsync(a));
    }

    [Fact]
    public async Task There_is_no_kick_hold_or_end_conference_call()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var a = await fx.AnsweredCallRunningAsync(p + "/a", Room(room), "client:heidi");
        var sid = (await ConferenceNamedAsync(room)).GetProperty("sid").GetString()!;

        var kick = await fx.Http.DeleteAsync(ParticipantPath(sid, a));
        var end = await fx.Http.DeleteAsync($"{ConferencesPath}/{sid}.json");
        var change = await fx.PostFormAsync($"{ConferencesPath}/{sid}.json", ("Status", "completed"));
        var add = await fx.PostFormAsync($"{ConferencesPath}/{sid}/Participants.json", ("To", "client:ivan"));

        Assert.All(new[] { kick, end, change, add }, r =>
        {
            Assert.Equal(HttpStatusCode.MethodNotAllowed, r.StatusCode);
            Assert.Equal("text/plain", r.Content.Headers.ContentType?.MediaType);
        });
        Assert.Equal(["GET", "POST"], kick.Content.Headers.Allow.Order());
        Assert.Equal(Hears.Silence(room), await fx.HearsAsync(a));
        Assert.Equal("in-progress", await fx.StatusOfAsync(a));
    }

    [Fact]
    public async Task Unknown_conference_or_participant_answers_like_restcomm()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        await fx.AnsweredCallRunningAsync(p + "/a", Room(room), "client:judy");
        var sid = (await ConferenceNamedAsync(room)).GetProperty("sid").GetString()!;
        var outsider = await fx.AnsweredCallRunningAsync(p + "/o", "<Response><Play loop=\"0\">http://music.test/x.wav</Play></Response>",
            "client:mallory");

        var unknownRoom = await fx.Http.GetAsync($"{ConferencesPath}/CF0123456789abcdef0123456789abcdef.json");
        var notInRoom = await fx.Http.GetAsync(ParticipantPath(sid, outsider));
        var muteOutsider = await fx.PostFormAsync(ParticipantPath(sid, outsider), ("Mute", "true"));
        var malformed = await fx.PostFormAsync(ParticipantPath(sid, "not-a-sid"), ("Mute", "true"));

        Assert.Equal(HttpStatusCode.NotFound, unknownRoom.StatusCode);
        Assert.Equal("text/plain", unknownRoom.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, notInRoom.StatusCode);
        Assert.Equal(HttpStatusCode.NotAcceptable, muteOutsider.StatusCode);
        Assert.False((await fx.GetCallAsync(outsider)).GetProperty("muted").GetBoolean());
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("", await malformed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Conferences_need_the_account_credentials()
    {
        using var anonymous = new HttpClient { BaseAddress = fx.Http.BaseAddress };

        var response = await anonymous.GetAsync(ConferencesPath + ".json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }
}
