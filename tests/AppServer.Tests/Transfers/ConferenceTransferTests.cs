using System.Net;
using System.Net.Http.Json;
using AppServer.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using static AppServer.Tests.Infrastructure.ProblemAssert;

namespace AppServer.Tests.Transfers;

public abstract class ConferenceTransferTests<TFixture>(TFixture app) : IClassFixture<TFixture> where TFixture : CallApiFixture
{
    private static string NewRoom() => "support-" + Guid.NewGuid().ToString("N")[..8];

    private static string CreatePath => $"{FakeCallApi.AccountPath}/Calls.json";

    [Fact]
    public async Task Conference_moves_the_caller_into_the_room_calls_the_agent_back_and_invites_the_target()
    {
        var sid = await app.SeedCallAsync(from: "+15551234567");
        var room = NewRoom();
        var roomUrl = CallApiFixture.Public($"/Conference?room={room}");

        var response = await app.PostTransferAsync(new { callSid = sid, to = "carol", mode = "conference", room });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var transfer = await response.ReadTransferAsync();
        Assert.Equal("completed", transfer.State);
        Assert.Equal(room, transfer.Room);
        Assert.Equal(2, transfer.CreatedCallSids.Count);
        Assert.Equal(3, transfer.Requests.Count);

        var requests = app.CallApi.RequestsMentioning(room);
        Assert.Equal(3, requests.Count);
        var (modify, callBack, invite) = (requests[0], requests[1], requests[2]);

        Assert.Equal($"{FakeCallApi.AccountPath}/Calls/{sid}.json", modify.Path);
        Assert.Equal(roomUrl, modify.Field("Url"));
        Assert.Equal(["FallbackUrl", "Url"], modify.FieldNames);

        foreach (var create in new[] { callBack, invite })
        {
            Assert.Equal("POST", create.Method);
            Assert.Equal(CreatePath, create.Path);
            Assert.Equal(FakeCallApi.ExpectedAuthorization, create.Authorization);
            Assert.Equal("+15551234567", create.Field("From"));
            Assert.Equal(roomUrl, create.Field("Url"));
            Assert.Equal(CallApiFixture.Public("/status"), create.Field("StatusCallback"));
            Assert.Equal("initiated,ringing,answered,completed", create.Field("StatusCallbackEvent"));
            Assert.False(create.Has("Timeout"));
            Assert.False(create.Has("Method"));
        }
        Assert.Equal("client:bob", callBack.Field("To"));
        Assert.Equal("sip:carol@example.com", invite.Field("To"));
    }

    [Fact]
    public async Task Conference_without_a_room_generates_one_and_without_to_only_calls_the_agent_back()
    {
        var sid = await app.SeedCallAsync();

        var transfer = await (await app.PostTransferAsync(new { callSid = sid, mode = "conference" })).ReadTransferAsync();

        var room = transfer.Room!;
        Assert.Matches("^[A-Za-z0-9_-]{1,64}$", room);
        var requests = app.CallApi.RequestsMentioning(room);
        Assert.Equal(2, requests.Count);
        Assert.Equal(room, QueryHelpers.ParseQuery(new Uri(requests[0].Field("Url")!).Query)["room"].ToString());
        Assert.Equal("client:bob", requests[1].Field("To"));
    }

    [Fact]
    public async Task Move_connected_call_leg_sends_the_flag_instead_of_calling_the_agent_back()
    {
        var sid = await app.SeedCallAsync();
        var room = NewRoom();

        var response = await app.PostTransferAsync(new { callSid = sid, mode = "conference", room, moveConnectedCallLeg = true });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var modify = Assert.Single(app.CallApi.RequestsMentioning(room));
        Assert.Equal("true", modify.Field("MoveConnectedCallLeg"));
        Assert.Equal(CallApiFixture.Public($"/Conference?room={room}"), modify.Field("Url"));
    }

    [Fact]
    public async Task Calls_created_by_a_conference_are_stored_so_agents_can_see_hang_up_and_mute_them()
    {
        var sid = await app.SeedCallAsync(from: "+15551234567");
        var room = NewRoom();
        var transfer = await (await app.PostTransferAsync(new { callSid = sid, to = "+15557654321", mode = "conference", room }))
            .ReadTransferAsync();
        var created = transfer.CreatedCallSids;
        Assert.Equal(2, created.Count);

        var callBack = await app.GetCallAsync(created[0]);
        Assert.Equal("outbound-api", callBack.Direction);
        Assert.Equal("queued", callBack.CallStatus);
        Assert.Equal("+15551234567", callBack.From);
        Assert.Equal("client:bob", callBack.To);
        Assert.Equal("bob", callBack.Agent);
        Assert.Equal(FakeCallApi.AccountSid, callBack.AccountSid);
        var invited = await app.GetCallAsync(created[1]);
        Assert.Equal("+15557654321", invited.To);
        Assert.Null(invited.Agent);
        var listed = await app.ListCallsAsync(limit: 1000);
        Assert.All(created, c => Assert.Contains(listed, l => l.CallSid == c));

        // The platform's callbacks about them (asked for with StatusCallbackEvent) update the same rows.
        await app.PostStatusAsync(created[0], "answered");
        // A progress event's "answered" is stored as the call status it means.
        Assert.Equal("in-progress", (await app.GetCallAsync(created[0])).CallStatus);
        Assert.Equal(HttpStatusCode.OK, (await app.Agent.PostAsJsonAsync($"/calls/{created[0]}/mute", new { muted = true })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.Agent.PostAsync($"/calls/{created[1]}/hangup", null)).StatusCode);
        Assert.Equal("true", app.CallApi.RequestsMentioning(created[0])[^1].Field("Mute"));
        Assert.Equal("completed", app.CallApi.RequestsMentioning(created[1])[^1].Field("Status")); // the fake says it is in progress
    }

    [Fact]
    public async Task Several_legs_created_for_one_client_are_all_recorded()
    {
        var sid = await app.SeedCallAsync();
        var room = NewRoom();
        app.CallApi.When(r => r.Mentions(room) && r.Path.EndsWith("/Calls.json"), ScriptedResponse.Json(200,
            $"[{FakeCallApi.CallJson("CAleg1", "queued", "outbound-api", "x", "client:bob")}," +
            $"{FakeCallApi.CallJson("CAleg2", "queued", "outbound-api", "x", "client:bob")}]"));

        var transfer = await (await app.PostTransferAsync(new { callSid = sid, mode = "conference", room })).ReadTransferAsync();

        Assert.Equal(["CAleg1", "CAleg2"], transfer.CreatedCallSids);
    }

    [Fact]
    public async Task Participant_is_invited_into_a_room_with_the_original_callers_id()
    {
        var sid = await app.SeedCallAsync(from: "+15559998888");
        var room = NewRoom();
        await app.PostTransferAsync(new { callSid = sid, mode = "conference", room });

        var response = await app.Agent.PostAsJsonAsync($"/conferences/{room}/participants", new { to = "+15557654321" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var transfer = await response.ReadTransferAsync();
        Assert.Equal("invite", transfer.Mode);
        Assert.Equal(sid, transfer.CallSid);
        var invite = app.CallApi.RequestsMentioning(room)[^1];
        Assert.Equal(CreatePath, invite.Path);
        Assert.Equal("+15557654321", invite.Field("To"));
        Assert.Equal("+15559998888", invite.Field("From"));
        Assert.Equal(CallApiFixture.Public($"/Conference?room={room}"), invite.Field("Url"));
    }

    [Fact]
    public async Task Invite_into_an_unknown_room_without_a_caller_id_is_404_and_bad_input_is_400()
    {
        var room = NewRoom();
        Task<HttpResponseMessage> Invite(string into, string to) =>
            app.Agent.PostAsJsonAsync($"/conferences/{into}/participants", new { to });

        await AssertProblem(await Invite(room, "alice"), HttpStatusCode.NotFound, null);
        await AssertProblem(await Invite(room, "nobody"), HttpStatusCode.BadRequest, "to");
        await AssertProblem(await Invite("bad%20room", "alice"), HttpStatusCode.BadRequest, "room");
        Assert.Empty(app.CallApi.RequestsMentioning(room));
    }
}

/// <summary>On SQLite.</summary>
public sealed class SqliteConferenceTransferTests(CallApiFixture app) : ConferenceTransferTests<CallApiFixture>(app);

/// <summary>On PostgreSQL.</summary>
public sealed class PostgreSqlConferenceTransferTests(PostgresCallApiFixture app) : ConferenceTransferTests<PostgresCallApiFixture>(app);
