using AppServer.Tests.EndToEnd;
using AppServer.Tests.Infrastructure;
using CallApi.Emulator;
using CallApi.Emulator.Control;
using Microsoft.Playwright;
using static AppServer.Tests.EndToEnd.EndToEndFixture;
using static Microsoft.Playwright.Assertions;

namespace AppServer.Tests.AgentConsole;

/// <summary>
/// The console against the CallAPI emulator: calls placed at the platform, acted on from the page, checked against what
/// each party hears.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AgentConsoleEmulatorTests(ChromiumFixture chromium, EndToEndFixture e2e) : IClassFixture<EndToEndFixture>
{
    [Fact]
    public async Task A_platform_call_shows_up_live_and_a_cold_transfer_from_the_page_bridges_the_caller_to_alice()
    {
        await using var console = await AgentConsolePage.NewAsync(chromium, e2e.AppServer.BaseAddress);
        await console.OpenSignedInAsync();
        var sid = await e2e.IncomingAsync(e2e.NewCaller());

        // The platform sends status callbacks only when a call ends: while it lasts the stored status is the webhook's.
        await Expect(console.Row(sid)).ToBeVisibleAsync();
        await Expect(console.Cell(sid, "agent")).ToHaveTextAsync("bob");

        await console.SelectAsync(sid);
        await console.ColdTransferAsync("alice");

        await Expect(console.Status).ToHaveTextAsync("Transfer to alice accepted: ringing alice…");
        await Expect(console.Cell(sid, "agent")).ToHaveTextAsync("alice");
        await e2e.IdleAsync();
        var partner = await e2e.PartnerOfAsync(sid);
        Assert.NotNull(partner);
        Assert.Equal("client:alice", ToOf(partner.Value));
    }

    [Fact]
    public async Task The_list_shows_talking_and_ringing_calls_with_their_legs_under_them()
    {
        await using var console = await AgentConsolePage.NewAsync(chromium, e2e.AppServer.BaseAddress);
        await console.OpenSignedInAsync();
        var talking = await e2e.IncomingAsync(e2e.NewCaller());
        var ringing = await e2e.IncomingAsync(e2e.NewCaller(), SlowAgentDid);
        var bob = Assert.Single((await e2e.Agent.GetCallAsync(talking)).Legs).CallSid;
        var dave = Assert.Single((await e2e.Agent.GetCallAsync(ringing)).Legs).CallSid;

        await Expect(console.Cell(talking, "status")).ToHaveTextAsync("talking");
        await Expect(console.LegRow(bob)).ToContainTextAsync("bob");
        await Expect(console.LegRow(bob).Locator("td.status")).ToHaveTextAsync("talking");
        await Expect(console.Cell(ringing, "status")).ToHaveTextAsync("ringing");
        await Expect(console.LegRow(dave).Locator("td.status")).ToHaveTextAsync("ringing");
        // A leg is shown under its call, not as a call of its own.
        await Expect(console.Row(bob)).ToHaveCountAsync(0);
        await console.SelectAsync(talking);
        await Expect(console.FactState).ToHaveTextAsync("talking with bob");

        await e2e.Agent.PostActionAsync($"/calls/{ringing}/hangup");
        await e2e.IdleAsync();
    }

    [Fact]
    public async Task A_cold_transfer_the_target_does_not_answer_says_NOT_connected_loudly()
    {
        var busy = "+1555777" + Random.Shared.Next(1000, 9999);
        e2e.Emulator.Scenario().Set(busy, "busy");
        await using var console = await AgentConsolePage.NewAsync(chromium, e2e.AppServer.BaseAddress);
        await console.OpenSignedInAsync();
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        await console.SelectAsync(sid);

        await console.ChooseAddressAsync(busy);
        await console.ClickAsync("Cold transfer");
        await console.ConfirmAsync("Transfer");

        await Expect(console.Outcome).ToContainTextAsync($"NOT connected: {busy} did not answer (busy)");
        await Expect(console.Outcome).ToHaveAttributeAsync("data-kind", "error");
        await Expect(console.History.First.Locator(".transfer-outcome")).ToHaveTextAsync("NOT connected (busy)");
    }

    [Fact]
    public async Task Hold_and_resume_from_the_page_and_every_open_console_sees_it()
    {
        await using var console = await AgentConsolePage.NewAsync(chromium, e2e.AppServer.BaseAddress);
        await using var other = await AgentConsolePage.NewAsync(chromium, e2e.AppServer.BaseAddress);
        await console.OpenSignedInAsync();
        await other.OpenSignedInAsync();
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        await console.SelectAsync(sid);

        await console.ClickAsync("Hold");
        await Expect(console.Status).ToContainTextAsync("is on hold: they hear music");
        await Expect(console.Page.Locator("#hold")).ToHaveTextAsync("Resume");
        await Expect(other.Cell(sid, "status")).ToHaveTextAsync("on hold");
        await e2e.IdleAsync();
        await e2e.HearsEventuallyAsync(sid, h => h.Kind == HearsKind.Music, "the caller hears music");

        await console.ClickAsync("Resume");
        await Expect(console.Status).ToContainTextAsync("is back on the call");
        await Expect(other.Cell(sid, "status")).ToHaveTextAsync("talking");
        await e2e.IdleAsync();
        await e2e.HearsEventuallyAsync(sid, h => h.Kind == HearsKind.Conference && h.CallSids.Count == 1, "the caller hears bob again");
    }

    [Fact]
    public async Task A_warm_transfer_from_the_page_consults_alice_then_hands_the_caller_over()
    {
        await using var console = await AgentConsolePage.NewAsync(chromium, e2e.AppServer.BaseAddress);
        await console.OpenSignedInAsync();
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        await console.SelectAsync(sid);

        await console.ChooseAgentAsync("alice");
        await console.ClickAsync("Warm transfer");
        await console.ConfirmAsync("Start warm transfer");

        await Expect(console.Outcome).ToContainTextAsync("Consulting alice: the caller is on hold.");
        await Expect(console.Outcome).ToContainTextAsync("alice answered");
        await Screenshots.SaveAsync(console.Page, "console-consult");
        await e2e.IdleAsync();
        await e2e.HearsEventuallyAsync(sid, h => h.Kind == HearsKind.Music, "the caller hears music during the consult");

        await console.ClickAsync("Complete: hand the caller to alice");
        await console.ConfirmAsync("Hand over");

        await Expect(console.Outcome).ToContainTextAsync("Warm transfer done: the caller is with alice.");
        await e2e.IdleAsync();
        var alice = (await e2e.Agent.GetCallAsync(sid)).Legs.Single(l => l.Agent == "alice").CallSid;
        await e2e.HearsEventuallyAsync(sid, h => h.CallSids.SequenceEqual([alice]), "the caller talks with alice");
    }

    [Fact]
    public async Task The_rooms_roster_mutes_holds_and_removes_members_and_the_room_can_be_ended()
    {
        await using var console = await AgentConsolePage.NewAsync(chromium, e2e.AppServer.BaseAddress);
        await console.OpenSignedInAsync();
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        var room = "console-room-" + sid[^6..];
        var transfer = await e2e.Agent.PostActionAsync("/transfer", new { callSid = sid, to = "+15557655555", mode = "conference", room });
        await e2e.IdleAsync();
        var (bob, guest) = (transfer.CreatedCallSids[0], transfer.CreatedCallSids[1]);
        await console.SelectAsync(sid);

        await Expect(console.Participant(bob)).ToContainTextAsync("bob (agent)");
        await Expect(console.Participant(guest)).ToContainTextAsync("+15557655555 (guest)");
        await Expect(console.LegRow(guest).Locator("td.called")).ToHaveTextAsync($"room {room}");

        await console.Participant(guest).GetByRole(AriaRole.Button, new() { Name = "Mute +15557655555" }).ClickAsync();
        await Expect(console.Participant(guest)).ToContainTextAsync("muted");
        await e2e.HearsEventuallyAsync(sid, h => h.CallSids.SequenceEqual([bob]), "the caller no longer hears the muted guest");

        await console.Participant(bob).GetByRole(AriaRole.Button, new() { Name = "Put bob on hold" }).ClickAsync();
        await Expect(console.Participant(bob)).ToContainTextAsync("on hold");
        await Screenshots.SaveAsync(console.Page, "console-room");
        await e2e.IdleAsync();
        await e2e.HearsEventuallyAsync(bob, h => h.Kind == HearsKind.Music, "bob hears music");

        await console.Participant(guest).GetByRole(AriaRole.Button,
            new() { Name = $"Remove +15557655555 from room {room} (hangs up their leg)" })
            .ClickAsync();
        await console.ConfirmAsync("Remove");
        await Expect(console.Participant(guest)).ToHaveCountAsync(0);
        await e2e.IdleAsync();
        Assert.Null(await e2e.HearsAsync(guest));

        await console.ClickAsync($"End room {room}");
        await Expect(console.Dialog).ToContainTextAsync("Everyone in room");
        await console.ConfirmAsync("End room");
        await Expect(console.Cell(sid, "status")).ToHaveTextAsync("completed");
        await e2e.IdleAsync();
        Assert.Null(await e2e.HearsAsync(sid));
        Assert.Null(await e2e.HearsAsync(bob));
    }

    [Fact]
    public async Task Hanging_up_a_rooms_customer_says_the_room_ends_with_it()
    {
        await using var console = await AgentConsolePage.NewAsync(chromium, e2e.AppServer.BaseAddress);
        await console.OpenSignedInAsync();
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        var room = "console-hangup-" + sid[^6..];
        await e2e.Agent.PostActionAsync("/transfer", new { callSid = sid, mode = "conference", room });
        await e2e.IdleAsync();
        await console.SelectAsync(sid);
        await Expect(console.Page.Locator("#fact-room")).ToHaveTextAsync(room);

        await console.ClickAsync("Hang up");

        await Expect(console.Dialog).ToContainTextAsync($"room {room} with it: bob will be hung up too");
        await console.ConfirmAsync("Cancel");
    }
}
