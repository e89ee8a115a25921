using System.Net;
using System.Net.Http.Json;
using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.Conferences;

/// <summary>
/// Who is in which room (docs/platform.md §8.6): a leg joins by fetching the room's RCML with its CallSid and leaves by
/// fetching another document or ending; when the room's customer hangs up, everyone else is hung up.
/// </summary>
public class RoomTests(CallApiFixture app) : IClassFixture<CallApiFixture>
{
    private static string NewRoom() => "room-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<ApiRoom> RoomAsync(string room) =>
        await (await app.Agent.GetAsync($"/conferences/{room}")).ReadJsonAsync<ApiRoom>();

    [Fact]
    public async Task Legs_join_a_room_by_fetching_its_rcml_with_their_roles_and_leave_by_fetching_another_document()
    {
        var customer = await app.SeedCallAsync();
        var room = NewRoom();
        var bob = Webhook.NewCallSid();
        await app.PostLegProgressAsync(bob, customer, "answered");
        var guest = Webhook.NewCallSid();

        await app.FetchRcmlAsync($"/Conference?room={room}", customer);
        await app.FetchRcmlAsync($"/Conference?room={room}", bob, direction: "outbound-dial", to: "bob");
        await app.FetchRcmlAsync($"/Conference?room={room}", guest, direction: "outbound-api", to: "+15557654321");

        var members = (await RoomAsync(room)).Members;
        Assert.Equal([customer, bob, guest], members.Select(m => m.CallSid));
        Assert.Equal(["customer", "agent", "guest"], members.Select(m => m.Role));
        Assert.Equal("bob", members[1].Agent);
        Assert.All(members, m => Assert.NotNull(m.JoinedAt));
        Assert.Contains(await (await app.Agent.GetAsync("/conferences")).ReadJsonAsync<IReadOnlyList<ApiRoom>>(), r => r.Room == room);
        var view = await app.GetCallAsync(customer);
        Assert.Equal(room, view.Room);
        Assert.Equal("customer", view.RoomRole);
        Assert.Equal("talking", view.State);

        // Moved elsewhere: bob fetches another of our documents.
        await app.FetchRcmlAsync("/CallToAlice", bob, direction: "outbound-dial", to: "bob");
        Assert.DoesNotContain(bob, (await RoomAsync(room)).Members.Select(m => m.CallSid));
        // Ended: the guest's completed status.
        await app.PostStatusAsync(guest, "completed");
        Assert.Equal([customer], (await RoomAsync(room)).Members.Select(m => m.CallSid));
        Assert.Equal("waiting", (await app.GetCallAsync(customer)).State);
    }

    [Fact]
    public async Task A_muted_member_shows_muted()
    {
        var customer = await app.SeedCallAsync();
        var room = NewRoom();
        await app.FetchRcmlAsync($"/Conference?room={room}", customer);
        (await app.Agent.PostAsJsonAsync($"/calls/{customer}/mute", new { muted = true })).EnsureSuccessStatusCode();

        Assert.True(Assert.Single((await RoomAsync(room)).Members).Muted);
    }

    [Fact]
    public async Task An_unknown_room_is_404_and_a_bad_room_name_400()
    {
        await ProblemAssert.AssertProblem(await app.Agent.GetAsync($"/conferences/{NewRoom()}"), HttpStatusCode.NotFound, null);
        await ProblemAssert.AssertProblem(await app.Agent.GetAsync("/conferences/bad%20room"), HttpStatusCode.BadRequest, "room");
    }

    [Fact]
    public async Task When_the_rooms_customer_hangs_up_every_other_member_is_hung_up()
    {
        var customer = await app.SeedCallAsync();
        var room = NewRoom();
        var bob = Webhook.NewCallSid();
        var guest = Webhook.NewCallSid();
        await app.FetchRcmlAsync($"/Conference?room={room}", customer);
        await app.FetchRcmlAsync($"/Conference?room={room}", bob, direction: "outbound-api", to: "client:bob");
        await app.FetchRcmlAsync($"/Conference?room={room}", guest, direction: "outbound-api", to: "+15557654321");

        await app.PostStatusAsync(customer, "completed");

        await Eventually.HoldsAsync(async () =>
            app.CallApi.RequestsMentioning(bob).Any(r => r.Field("Status") == "completed")
            && app.CallApi.RequestsMentioning(guest).Any(r => r.Field("Status") == "completed"), "both members hung up");
        // The customer's own leg has ended already: it is not hung up again.
        Assert.DoesNotContain(app.CallApi.RequestsMentioning(customer), r => r.Field("Status") is not null);
        await Eventually.HoldsAsync(async () => (await app.Agent.GetAsync($"/conferences/{room}")).StatusCode == HttpStatusCode.NotFound,
            "the room is gone");
        // The platform has answered both hang-ups; the action records that a moment later.
        await Eventually.HoldsAsync(async () => (await app.GetCallAsync(customer)).Transfers.Any(t => t.Mode == "end-room"
            && t.State != "pending"), "the end-room action finished");
        var end = Assert.Single((await app.GetCallAsync(customer)).Transfers, t => t.Mode == "end-room");
        Assert.Equal("completed", end.State);
        Assert.Equal(room, end.Room);
        Assert.Equal(2, end.Requests.Count);
    }

    [Fact]
    public async Task Ending_a_room_goes_on_past_a_member_the_platform_no_longer_has()
    {
        var customer = await app.SeedCallAsync();
        var room = NewRoom();
        var gone = Webhook.NewCallSid();
        var still = Webhook.NewCallSid();
        await app.FetchRcmlAsync($"/Conference?room={room}", customer);
        await app.FetchRcmlAsync($"/Conference?room={room}", gone, direction: "outbound-api", to: "+15557654321");
        await app.FetchRcmlAsync($"/Conference?room={room}", still, direction: "outbound-api", to: "+15557654322");
        app.CallApi.WhenMentioned(gone, ScriptedResponse.Text(410, "Call is already completed."));

        await app.PostStatusAsync(customer, "completed");

        await Eventually.HoldsAsync(async () => app.CallApi.RequestsMentioning(still).Any(r => r.Field("Status") == "completed"),
            "the member after the gone one is hung up too");
        await Eventually.HoldsAsync(async () => (await app.GetCallAsync(gone)).State == "ended", "the gone member is ended here");
    }

    [Fact]
    public async Task An_agent_can_end_a_room_and_an_empty_room_is_404()
    {
        var customer = await app.SeedCallAsync();
        var room = NewRoom();
        await app.FetchRcmlAsync($"/Conference?room={room}", customer);

        var end = await app.Agent.PostActionAsync($"/conferences/{room}/end");

        Assert.Equal("end-room", end.Mode);
        Assert.Equal(customer, end.CallSid);
        Assert.Contains(app.CallApi.RequestsMentioning(customer), r => r.Field("Status") == "completed");
        await ProblemAssert.AssertProblem(await app.Agent.PostAsync($"/conferences/{NewRoom()}/end", null), HttpStatusCode.NotFound, null);
    }
}
