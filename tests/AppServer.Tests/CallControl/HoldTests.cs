using System.Net;
using System.Net.Http.Json;
using System.Xml.Linq;
using AppServer.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace AppServer.Tests.CallControl;

/// <summary>
/// Hold and unhold as CallAPI requests (the platform has no hold call, docs/platform.md §4.8): a two-party bridge moves
/// with MoveConnectedCallLeg and each leg fetches /Hold with its own CallSid; a room member moves alone; Mute is re-sent.
/// </summary>
public class HoldTests(CallApiFixture app) : IClassFixture<CallApiFixture>
{
    /// <summary>A customer's call bridged to bob's answered leg, as the platform's progress callbacks report it.</summary>
    private async Task<(string Customer, string Bob)> TwoPartyCallAsync()
    {
        var customer = await app.SeedCallAsync(status: "ringing");
        var bob = Webhook.NewCallSid();
        await app.PostLegProgressAsync(bob, customer, "answered");
        return (customer, bob);
    }

    private Task<HttpResponseMessage> HoldAsync(string callSid, bool hold, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/calls/{callSid}/hold") { Content = JsonContent.Create(new { hold }) };
        if (key is not null) request.Headers.Add("Idempotency-Key", key);
        return app.Agent.SendAsync(request);
    }

    private static Dictionary<string, string> Query(string url) =>
        QueryHelpers.ParseQuery(new Uri(url).Query).ToDictionary(q => q.Key, q => q.Value.ToString());

    private async Task<XDocument> FetchAsync(string url, string callSid, string direction = "inbound") =>
        await RcmlAssert.ValidRcmlAsync(await app.FetchRcmlAsync(new Uri(url).PathAndQuery, callSid, direction));

    [Fact]
    public async Task Holding_the_customer_of_a_two_party_call_moves_both_legs_the_customer_to_music_and_bob_to_a_room()
    {
        var (customer, bob) = await TwoPartyCallAsync();

        var hold = await (await HoldAsync(customer, true)).ReadTransferAsync();

        Assert.Equal("hold", hold.Mode);
        Assert.Equal("completed", hold.State);
        var request = Assert.Single(app.CallApi.RequestsMentioning(customer));
        Assert.Equal(["FallbackUrl", "MoveConnectedCallLeg", "Url"], request.FieldNames); // no Mute: the call is not muted
        Assert.Equal("true", request.Field("MoveConnectedCallLeg"));
        Assert.Equal(CallApiFixture.Public($"/Hold?transfer={hold.Id}"), request.Field("Url"));
        var call = await app.GetCallAsync(customer);
        Assert.True(call.OnHold);
        Assert.Equal("on-hold", call.State);
        Assert.Equal(hold.Room, call.Room);

        // Each moved leg fetches the same Url with its own CallSid: music for the held one, the room for its partner.
        var music = await FetchAsync(request.Field("Url")!, customer);
        Assert.Equal("0", music.Root!.Element("Play")!.Attribute("loop")!.Value);
        Assert.EndsWith("/audio/hold-music.wav", music.Root.Element("Play")!.Value);
        var room = await FetchAsync(request.Field("Url")!, bob, "outbound-dial");
        Assert.Equal(hold.Room, room.Root!.Element("Dial")!.Element("Conference")!.Value);
        var roster = await (await app.Agent.GetAsync($"/conferences/{hold.Room}")).ReadJsonAsync<ApiRoom>();
        Assert.Equal("agent", roster.Members.Single(m => m.CallSid == bob).Role);
        Assert.True(roster.Members.Single(m => m.CallSid == customer).OnHold);
    }

    [Fact]
    public async Task Unhold_returns_the_leg_to_its_room_and_a_muted_leg_is_sent_Mute_true_with_both_moves()
    {
        var (customer, _) = await TwoPartyCallAsync();
        (await app.Agent.PostAsJsonAsync($"/calls/{customer}/mute", new { muted = true })).EnsureSuccessStatusCode();

        var hold = await (await HoldAsync(customer, true)).ReadTransferAsync();
        var unhold = await (await HoldAsync(customer, false)).ReadTransferAsync();

        Assert.Equal("unhold", unhold.Mode);
        var moves = app.CallApi.RequestsMentioning(customer).Where(r => r.Has("Url")).ToList();
        Assert.Equal(2, moves.Count);
        Assert.All(moves, m => Assert.Equal("true", m.Field("Mute")));
        Assert.Equal(CallApiFixture.Public($"/Conference?room={hold.Room}"), moves[1].Field("Url"));
        Assert.False(moves[1].Has("MoveConnectedCallLeg"));
        var call = await app.GetCallAsync(customer);
        Assert.False(call.OnHold);
        Assert.True(call.Muted);
    }

    [Fact]
    public async Task Holding_the_agents_side_puts_bob_on_music_and_the_customer_in_the_room()
    {
        var (customer, bob) = await TwoPartyCallAsync();

        var hold = await (await HoldAsync(bob, true)).ReadTransferAsync();

        var request = Assert.Single(app.CallApi.RequestsMentioning(bob));
        Assert.Equal("true", request.Field("MoveConnectedCallLeg"));
        Assert.NotNull((await FetchAsync(request.Field("Url")!, bob, "outbound-dial")).Root!.Element("Play"));
        Assert.Equal(hold.Room, (await FetchAsync(request.Field("Url")!, customer)).Root!.Element("Dial")!.Element("Conference")!.Value);
        Assert.True((await app.GetCallAsync(bob)).OnHold);
        Assert.Equal("customer", (await (await app.Agent.GetAsync($"/conferences/{hold.Room}")).ReadJsonAsync<ApiRoom>())
            .Members.Single(m => m.CallSid == customer).Role);
    }

    [Fact]
    public async Task A_room_member_is_held_alone_without_MoveConnectedCallLeg()
    {
        var customer = await app.SeedCallAsync();
        var room = "room-" + Guid.NewGuid().ToString("N")[..8];
        await app.FetchRcmlAsync($"/Conference?room={room}", customer);

        var hold = await (await HoldAsync(customer, true)).ReadTransferAsync();

        Assert.Equal(room, hold.Room);
        var request = Assert.Single(app.CallApi.RequestsMentioning(customer));
        Assert.False(request.Has("MoveConnectedCallLeg"));
        Assert.Equal(room, (await app.GetCallAsync(customer)).Room);
    }

    [Fact]
    public async Task Holding_twice_unholding_a_call_not_held_and_holding_a_call_talking_to_nobody_are_409_with_nothing_sent()
    {
        var (customer, _) = await TwoPartyCallAsync();
        (await HoldAsync(customer, true)).EnsureSuccessStatusCode();
        var sent = app.CallApi.RequestsMentioning(customer).Count;

        await ProblemAssert.AssertProblem(await HoldAsync(customer, true), HttpStatusCode.Conflict, null);
        var (other, _) = await TwoPartyCallAsync();
        await ProblemAssert.AssertProblem(await HoldAsync(other, false), HttpStatusCode.Conflict, null);
        var ringing = await app.SeedCallAsync(status: "ringing");
        var nobody = await ProblemAssert.AssertProblem(await HoldAsync(ringing, true), HttpStatusCode.Conflict, null);
        Assert.Contains("not talking to anyone", nobody.Detail);

        Assert.Equal(sent, app.CallApi.RequestsMentioning(customer).Count);
        Assert.Empty(app.CallApi.RequestsMentioning(other));
        Assert.Empty(app.CallApi.RequestsMentioning(ringing));
    }

    [Fact]
    public async Task Hold_of_an_unknown_or_ended_call_is_404_or_409_and_a_missing_hold_value_400()
    {
        await ProblemAssert.AssertProblem(await HoldAsync(Webhook.NewCallSid(), true), HttpStatusCode.NotFound, null);
        var ended = await app.SeedCallAsync(status: "completed");
        await ProblemAssert.AssertProblem(await HoldAsync(ended, true), HttpStatusCode.Conflict, null);
        var (customer, _) = await TwoPartyCallAsync();
        await ProblemAssert.AssertProblem(await app.Agent.PostAsJsonAsync($"/calls/{customer}/hold", new { }), HttpStatusCode.BadRequest,
            "hold");
    }

    [Fact]
    public async Task A_hold_while_another_action_on_the_call_is_in_flight_is_409()
    {
        var (customer, _) = await TwoPartyCallAsync();
        app.CallApi.WhenMentioned(customer, ScriptedResponse.Slow(TimeSpan.FromSeconds(1)), times: 1);
        var transfer = app.PostTransferAsync(new { callSid = customer, to = "alice", mode = "cold" });
        await Eventually.HoldsAsync(async () => app.CallApi.RequestsMentioning(customer).Count == 1, "the transfer reached the platform");

        await ProblemAssert.AssertProblem(await HoldAsync(customer, true), HttpStatusCode.Conflict, null);
        Assert.Equal(HttpStatusCode.OK, (await transfer).StatusCode);
    }

    [Fact]
    public async Task A_repeated_Idempotency_Key_replays_the_hold_with_one_platform_request_in_all()
    {
        var (customer, _) = await TwoPartyCallAsync();
        var first = await (await HoldAsync(customer, true, key: "hold-" + customer[^8..])).ReadTransferAsync();
        var again = await (await HoldAsync(customer, true, key: "hold-" + customer[^8..])).ReadTransferAsync();

        Assert.Equal(first.Id, again.Id);
        Assert.Single(app.CallApi.RequestsMentioning(customer));
    }

    [Fact]
    public async Task The_default_hold_music_is_served_as_a_wav_file()
    {
        var response = await app.Client.GetAsync("/audio/hold-music.wav");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("WAVE", System.Text.Encoding.ASCII.GetString(bytes, 8, 4));
        Assert.True(bytes.Length > 16000, "a few seconds of 8 kHz 16-bit audio");
    }
}
