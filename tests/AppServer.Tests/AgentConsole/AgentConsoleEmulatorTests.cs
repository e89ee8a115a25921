using AppServer.Tests.EndToEnd;
using AppServer.Tests.Infrastructure;
using static AppServer.Tests.EndToEnd.EndToEndFixture;
using static Microsoft.Playwright.Assertions;

namespace AppServer.Tests.AgentConsole;

/// <summary>The console against the CallAPI emulator: a call placed at the platform, transferred from the page.</summary>
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

        await Expect(console.Status).ToHaveTextAsync("Transfer to alice completed.");
        await Expect(console.Cell(sid, "agent")).ToHaveTextAsync("alice");
        await e2e.IdleAsync();
        var partner = await e2e.PartnerOfAsync(sid);
        Assert.NotNull(partner);
        Assert.Equal("client:alice", ToOf(partner.Value));
    }
}
