using AppServer.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AppServer.Tests.AgentConsole;

/// <summary>Renders the console with a few calls on a 1366×768 window and saves the picture (<see cref="Screenshots"/>).</summary>
[Collection(BrowserCollection.Name)]
public sealed class AgentConsoleScreenshotTests(ChromiumFixture chromium, CallApiFixture app) : IClassFixture<CallApiFixture>
{
    [Fact]
    public async Task Console_with_a_few_calls_fits_a_laptop_screen()
    {
        var ended = await app.SeedCallAsync(from: "+15559870001");
        await app.PostStatusAsync(ended, "completed", new Dictionary<string, string> { ["CallDuration"] = "184" });
        var transferred = await app.SeedCallAsync(from: "+15551234567", tweak: p => p["CallerName"] = "Dana Whitfield");
        var ringing = await app.SeedCallAsync(status: "ringing", from: "alice");
        await using var console = await AgentConsolePage.NewAsync(chromium, app.Factory.BaseAddress);
        await console.OpenSignedInAsync();
        await Expect(console.Row(ringing)).ToBeVisibleAsync();
        await console.SelectAsync(transferred);
        await console.ColdTransferAsync("alice");
        await Expect(console.Status).ToHaveTextAsync("Transfer to alice accepted: ringing alice…");
        await Expect(console.Cell(ended, "duration")).ToHaveTextAsync("3:04");

        // Everything an agent needs is on screen without scrolling the page.
        var pageHeight = await console.Page.EvaluateAsync<int>("document.documentElement.scrollHeight");
        Assert.True(pageHeight <= 768, $"the console is {pageHeight}px tall on a 768px screen");
        await Expect(console.Page.GetByRole(AriaRole.Button, new() { Name = "Hang up", Exact = true })).ToBeInViewportAsync();

        await Screenshots.SaveAsync(console.Page, "console");
    }
}
