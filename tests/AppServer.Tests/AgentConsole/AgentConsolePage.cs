using AppServer.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AppServer.Tests.AgentConsole;

/// <summary>The console as an agent sees it: finds things by label, role and the row of a CallSid.</summary>
public sealed class AgentConsolePage(IPage page)
{
    public IPage Page { get; } = page;

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

    public Task ClickAsync(string buttonName) => Page.GetByRole(AriaRole.Button, new() { Name = buttonName, Exact = true }).ClickAsync();

    /// <summary>Answers the open confirm dialog with the named button.</summary>
    public async Task ConfirmAsync(string buttonName)
    {
        await Expect(Dialog).ToBeVisibleAsync();
        await Dialog.GetByRole(AriaRole.Button, new() { Name = buttonName, Exact = true }).ClickAsync();
        await Expect(Dialog).ToBeHiddenAsync();
    }
}
