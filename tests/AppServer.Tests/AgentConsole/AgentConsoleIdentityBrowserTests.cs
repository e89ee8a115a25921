using System.Net.Http.Json;
using AppServer.Tests.Infrastructure;
using AppServer.Tests.Security;
using static Microsoft.Playwright.Assertions;

namespace AppServer.Tests.AgentConsole;

/// <summary>The console says who is signed in, and an agent with a key of their own can list only their calls.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AgentConsoleIdentityBrowserTests(ChromiumFixture chromium, AgentKeysFixture app)
    : IClassFixture<AgentKeysFixture>, IAsyncLifetime
{
    private AgentConsolePage _console = null!;

    public async Task InitializeAsync() => _console = await AgentConsolePage.NewAsync(chromium, app.Factory.BaseAddress);

    public async Task DisposeAsync() => await _console.DisposeAsync();

    [Fact]
    public async Task An_agent_signed_in_with_their_own_key_is_named_and_My_calls_lists_only_the_calls_they_acted_on()
    {
        var mine = await app.SeedCallAsync(from: "+15557770001");
        var other = await app.SeedCallAsync(from: "+15557770002");
        using (var alice = app.ClientWithKey(AgentKeysFixture.AliceKey))
            (await alice.PostAsJsonAsync($"/calls/{mine}/mute", new { muted = true })).EnsureSuccessStatusCode();

        await _console.OpenAsync();
        await _console.SignInAsync(AgentKeysFixture.AliceKey);
        await Expect(_console.Page.Locator("#signed-in-as")).ToHaveTextAsync("Signed in as alice");
        await Expect(_console.Row(mine)).ToBeVisibleAsync();
        await Expect(_console.Row(other)).ToBeVisibleAsync();

        await _console.Page.GetByLabel("My calls only").CheckAsync();

        await Expect(_console.Row(mine)).ToBeVisibleAsync();
        await Expect(_console.Row(other)).ToHaveCountAsync(0);

        await _console.Page.GetByLabel("My calls only").UncheckAsync();
        await Expect(_console.Row(other)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_shared_key_signs_in_unnamed_and_cannot_filter_by_agent()
    {
        await _console.OpenAsync();
        await _console.SignInAsync();

        await Expect(_console.Page.Locator("#signed-in-as")).ToHaveTextAsync("Signed in with a shared key");
        await Expect(_console.Page.GetByLabel("My calls only")).ToBeDisabledAsync();
    }
}
