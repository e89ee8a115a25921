using System.Net;
using AppServer.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AppServer.Tests.AgentConsole;

/// <summary>
/// What agents saw go wrong in use: a history line's words run together, a CallAPI path running off its card, Invite
/// offered on a call that has ended. The console in headless Chromium against AppServer and the fake CallAPI.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AgentConsoleHistoryBrowserTests(ChromiumFixture chromium, CallApiFixture app)
    : IClassFixture<CallApiFixture>, IAsyncLifetime
{
    private AgentConsolePage _console = null!;

    public async Task InitializeAsync() => _console = await AgentConsolePage.NewAsync(chromium, app.Factory.BaseAddress);

    public async Task DisposeAsync() => await _console.DisposeAsync();

    private static string NewRoom() => "support-" + Guid.NewGuid().ToString("N")[..6];

    /// <summary>A call moved into a room with carol invited, as the agent API does it; the customer has joined the room.</summary>
    private async Task<(string Sid, string Room)> CallInRoomWithCarolAsync()
    {
        var sid = await app.SeedCallAsync(from: "+1555" + Random.Shared.Next(1_000_000, 9_999_999));
        var room = NewRoom();
        var transfer = await app.PostTransferAsync(new { callSid = sid, to = "carol", mode = "conference", room });
        Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
        await app.FetchRcmlAsync($"/Conference?room={room}", sid);
        return (sid, room);
    }

    [Fact]
    public async Task A_history_line_reads_its_facts_with_spaces_between_them()
    {
        var (sid, room) = await CallInRoomWithCarolAsync();
        await _console.OpenSignedInAsync();
        await _console.SelectAsync(sid);

        var summary = _console.History.First.Locator(".summary");
        // textContent (what is copied and read aloud), not only what the flex gaps make it look like.
        await Expect(summary).ToContainTextAsync($"Conference to carol room {room} ");
        Assert.DoesNotContain("carolroom", await summary.TextContentAsync());
    }

    [Fact]
    public async Task Long_CallAPI_paths_wrap_inside_their_history_card()
    {
        var (sid, _) = await CallInRoomWithCarolAsync();
        await _console.Page.SetViewportSizeAsync(1000, 800);
        await _console.OpenSignedInAsync();
        await _console.SelectAsync(sid);

        var card = _console.History.First;
        await card.Locator("summary", new() { HasTextString = "CallAPI requests" }).ClickAsync();
        var requests = card.Locator("details li");
        await Expect(requests.First).ToContainTextAsync("/Calls/");
        var overflowing = await card.EvaluateAsync<string[]>("""
            card => {
              const box = card.getBoundingClientRect();
              return [...card.querySelectorAll("details li")]
                .filter(li => li.scrollWidth > li.clientWidth + 1 || li.getBoundingClientRect().right > box.right + 0.5)
                .map(li => li.textContent);
            }
            """);
        Assert.Empty(overflowing);
        var page = await _console.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth");
        Assert.True(page, "the page scrolls sideways");
    }

    [Fact]
    public async Task Invite_is_offered_on_a_call_in_a_room_and_disabled_once_the_call_has_ended()
    {
        var (sid, room) = await CallInRoomWithCarolAsync();
        await _console.OpenSignedInAsync();
        await _console.SelectAsync(sid);
        var invite = _console.Page.GetByRole(AriaRole.Button, new() { Name = "Invite", Exact = true });
        await Expect(_console.Page.Locator("#fact-room")).ToHaveTextAsync(room);
        await Expect(invite).ToBeEnabledAsync();

        await app.PostStatusAsync(sid, "completed");

        await Expect(_console.Cell(sid, "status")).ToHaveTextAsync("completed");
        await Expect(invite).ToBeDisabledAsync();
        await Expect(_console.Page.GetByLabel("Participant")).ToBeDisabledAsync();
    }
}
