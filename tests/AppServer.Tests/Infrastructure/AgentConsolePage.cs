using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AppServer.Tests.Infrastructure;

/// <summary>
/// The console as an agent sees it, in its own browser context: finds things by label, role and the row of a CallSid.
/// Disposing it closes the context and fails the test if the page threw a script error at any point.
/// </summary>
public sealed class AgentConsolePage : IAsyncDisposable
{
    private readonly List<string> _scriptErrors = [];
    private readonly List<string> _cspViolations = [];

    private AgentConsolePage(IPage page)
    {
        Page = page;
        page.PageError += (_, error) => { lock (_scriptErrors) _scriptErrors.Add(error); };
        // Chromium reports every resource, script or style the page's Content-Security-Policy blocked on the console.
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                lock (_cspViolations) _cspViolations.Add(message.Text);
        };
    }

    /// <summary>What the Content-Security-Policy blocked so far; every test ends checking there was nothing.</summary>
    public IReadOnlyList<string> CspViolations
    {
        get
        {
            lock (_cspViolations) return _cspViolations.ToList();
        }
    }

    /// <summary>For a test that makes a violation on purpose, once it has seen it reported.</summary>
    public void ForgetCspViolations()
    {
        lock (_cspViolations) _cspViolations.Clear();
    }

    /// <summary>A new page on <paramref name="baseAddress"/> (not opened yet: see <see cref="OpenAsync"/>).</summary>
    public static async Task<AgentConsolePage> NewAsync(ChromiumFixture chromium, Uri baseAddress) =>
        new(await chromium.NewPageAsync(baseAddress));

    public IPage Page { get; }

    public ILocator KeyInput => Page.GetByLabel("Agent API key");
    public ILocator SignInError => Page.Locator("#sign-in-error");
    public ILocator CallsHeading => Page.GetByRole(AriaRole.Heading, new() { Name = "Calls", Exact = true });
    public ILocator Status => Page.GetByRole(AriaRole.Status);
    public ILocator Connection => Page.Locator("#connection");
    public ILocator Dialog => Page.GetByRole(AriaRole.Dialog);
    public ILocator Detail => Page.Locator("#call-detail");
    public ILocator History => Page.Locator("#history-list > li");

    public ILocator Row(string callSid) => Page.Locator($"tr[data-call-sid=\"{callSid}\"]");
    public ILocator Cell(string callSid, string column) => Row(callSid).Locator($"td.{column}");

    /// <summary>A leg's row under its customer's call in the list.</summary>
    public ILocator LegRow(string legSid) => Page.Locator($"tr.leg[data-leg-sid=\"{legSid}\"]");

    /// <summary>What the latest transfer did for the caller (connected, NOT connected, consulting…).</summary>
    public ILocator Outcome => Page.Locator("#outcome");

    public ILocator FactState => Page.Locator("#fact-state");

    /// <summary>One person on the selected call, in its "On the call" list.</summary>
    public ILocator Participant(string legSid) => Page.Locator($"#participants-list li[data-leg-sid=\"{legSid}\"]");

    public async Task OpenAsync() => await Page.GotoAsync("/");

    public async Task SignInAsync(string key = AppServerFactory.ApiKey)
    {
        await KeyInput.FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Opens the page, signs in and waits until the event stream is live.</summary>
    public async Task OpenSignedInAsync()
    {
        await OpenAsync();
        await SignInAsync();
        await Expect(Connection).ToHaveTextAsync("Live");
    }

    public async Task SelectAsync(string callSid)
    {
        await Row(callSid).Locator("button.select-call").ClickAsync();
        await Expect(Row(callSid).Locator("button.select-call")).ToHaveAttributeAsync("aria-current", "true");
    }

    /// <summary>Picks an agent from the transfer target list.</summary>
    public Task ChooseAgentAsync(string agent) => Page.GetByLabel("Transfer to").SelectOptionAsync(agent);

    /// <summary>Picks "Another address…" and types <paramref name="address"/>.</summary>
    public async Task ChooseAddressAsync(string address)
    {
        await Page.GetByLabel("Transfer to").SelectOptionAsync(new SelectOptionValue { Label = "Another address…" });
        await Page.GetByLabel("Address", new() { Exact = true }).FillAsync(address);
    }

    /// <summary>Cold-transfers the selected call to <paramref name="agent"/>: pick, click, confirm.</summary>
    public async Task ColdTransferAsync(string agent)
    {
        await ChooseAgentAsync(agent);
        await ClickAsync("Cold transfer");
        await ConfirmAsync("Transfer");
    }

    public Task ClickAsync(string buttonName) => Page.GetByRole(AriaRole.Button, new() { Name = buttonName, Exact = true }).ClickAsync();

    /// <summary>Answers the open confirm dialog with the named button.</summary>
    public async Task ConfirmAsync(string buttonName)
    {
        await Expect(Dialog).ToBeVisibleAsync();
        await Dialog.GetByRole(AriaRole.Button, new() { Name = buttonName, Exact = true }).ClickAsync();
        await Expect(Dialog).ToBeHiddenAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Page.Context.CloseAsync();
        lock (_scriptErrors) Assert.Empty(_scriptErrors);
        Assert.Empty(CspViolations);
    }
}
