using AppServer.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AppServer.Tests.AgentConsole;

/// <summary>
/// Renders the console with a few calls on a 1366×768 window and saves the picture: always under TestResults,
/// and over docs/console.png when UPDATE_DOCS_SCREENSHOT=1, so an ordinary test run never dirties the checkout.
/// </summary>
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

        var picture = await console.Page.ScreenshotAsync();
        Save(picture, Path.Combine(RepositoryRoot(), "TestResults", "console.png"));
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS_SCREENSHOT") == "1")
            Save(picture, Path.Combine(RepositoryRoot(), "docs", "console.png"));
    }

    private static void Save(byte[] picture, string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, picture);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "AppServer.sln"))) return folder.FullName;
        throw new InvalidOperationException("AppServer.sln not found above " + AppContext.BaseDirectory);
    }
}
