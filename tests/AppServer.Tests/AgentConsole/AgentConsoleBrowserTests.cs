using System.Text.RegularExpressions;
using AppServer.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace AppServer.Tests.AgentConsole;

/// <summary>The agent console in headless Chromium against AppServer and the fake CallAPI, over real HTTP.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AgentConsoleBrowserTests(ChromiumFixture chromium, CallApiFixture app) : IClassFixture<CallApiFixture>, IAsyncLifetime
{
    private AgentConsolePage _console = null!;

    public async Task InitializeAsync() => _console = await AgentConsolePage.NewAsync(chromium, app.Factory.BaseAddress);

    /// <summary>Every test also checks that the page threw no script error along the way.</summary>
    public async Task DisposeAsync() => await _console.DisposeAsync();

    /// <summary>A caller number no other test uses, so rows are easy to tell apart.</summary>
    private static string NewCaller() => "+1555" + Random.Shared.Next(1_000_000, 9_999_999);

    [Fact]
    public async Task Agent_signs_in_and_sees_the_stored_calls()
    {
        var caller = NewCaller();
        var sid = await app.SeedCallAsync(from: caller);

        await _console.OpenAsync();
        await Expect(_console.KeyInput).ToBeFocusedAsync();
        await _console.SignInAsync();

        await Expect(_console.CallsHeading).ToBeVisibleAsync();
        await Expect(_console.Cell(sid, "caller")).ToHaveTextAsync(caller);
        await Expect(_console.Cell(sid, "called")).ToHaveTextAsync("+15550001000");
        await Expect(_console.Cell(sid, "status")).ToHaveTextAsync("talking");
        await Expect(_console.Cell(sid, "agent")).ToHaveTextAsync("bob");
        await Expect(_console.Cell(sid, "duration")).ToHaveTextAsync(new Regex(@"^\d+:\d\d$"));
        Assert.Equal(AppServerFactory.ApiKey, await _console.Page.EvaluateAsync<string>("sessionStorage.getItem('appserver.agentKey')"));
        Assert.Null(await _console.Page.EvaluateAsync<string?>("localStorage.getItem('appserver.agentKey')"));
    }

    [Fact]
    public async Task The_console_is_served_with_its_security_headers_and_breaks_none_of_them()
    {
        var sid = await app.SeedCallAsync(from: NewCaller());
        var page = await _console.Page.GotoAsync("/");
        var headers = page!.Headers;
        Assert.Contains("default-src 'self'", headers["content-security-policy"]);
        Assert.Contains("script-src 'self';", headers["content-security-policy"]);
        Assert.Contains("frame-ancestors 'none'", headers["content-security-policy"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("no-referrer", headers["referrer-policy"]);

        await _console.SignInAsync();
        await _console.Row(sid).ClickAsync();
        await Expect(_console.Detail).ToBeVisibleAsync();
        await Expect(_console.Cell(sid, "status")).ToHaveTextAsync("talking");
        Assert.Empty(_console.CspViolations);

        // The policy holds: an injected inline script does not run, and the violation is reported (so the check above can fail).
        await _console.Page.EvaluateAsync(
            "() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.append(s); }");
        await Eventually.HoldsAsync(() => Task.FromResult(_console.CspViolations.Count > 0), "the blocked inline script is reported");
        Assert.Null(await _console.Page.EvaluateAsync<int?>("() => window.injected ?? null"));
        _console.ForgetCspViolations();
    }

    [Fact]
    public async Task Live_durations_tick_by_the_server_clock_even_when_the_browser_clock_is_an_hour_off()
    {
        await _console.Page.Clock.SetSystemTimeAsync(DateTime.UtcNow.AddHours(1));
        var sid = await app.SeedCallAsync(from: NewCaller());

        await _console.OpenSignedInAsync();

        await Expect(_console.Cell(sid, "duration")).ToHaveTextAsync(new Regex(@"^0:0[1-9]$")); // ticking, not 1:00:0x
    }

    [Fact]
    public async Task A_broken_event_stream_reconnects_by_itself_and_misses_nothing()
    {
        var failures = 1;
        await _console.Page.RouteAsync("**/calls/events", async route =>
        {
            if (Interlocked.Decrement(ref failures) >= 0) await route.AbortAsync("connectionreset");
            else await route.ContinueAsync();
        });
        await _console.OpenAsync();
        await _console.SignInAsync();
        await Expect(_console.Connection).ToHaveTextAsync("Reconnecting…");
        var sid = await app.SeedCallAsync(from: NewCaller()); // arrives while the page is disconnected

        await Expect(_console.Connection).ToHaveTextAsync("Live");
        await Expect(_console.Cell(sid, "status")).ToHaveTextAsync("talking"); // from the fresh snapshot
    }

    [Fact]
    public async Task A_key_revoked_while_signed_in_signs_the_agent_out_with_a_message()
    {
        await _console.Page.RouteAsync("**/calls/events", route => route.FulfillAsync(new RouteFulfillOptions
        {
            Status = 401, ContentType = "application/problem+json", Body = """{"title":"Invalid API key","status":401}""",
        }));
        await _console.OpenAsync();
        await _console.SignInAsync();

        await Expect(_console.SignInError).ToHaveTextAsync("The server no longer accepts this key. Sign in again.");
        await Expect(_console.KeyInput).ToBeFocusedAsync();
        Assert.Null(await _console.Page.EvaluateAsync<string?>("sessionStorage.getItem('appserver.agentKey')"));
    }

    [Fact]
    public async Task A_wrong_key_is_refused_with_a_visible_message()
    {
        await _console.OpenAsync();
        await _console.SignInAsync("not-a-key");

        await Expect(_console.SignInError).ToContainTextAsync("The server refused this key");
        await Expect(_console.SignInError).ToContainTextAsync("does not hold a known agent API key");
        await Expect(_console.CallsHeading).ToBeHiddenAsync();
        Assert.Null(await _console.Page.EvaluateAsync<string?>("sessionStorage.getItem('appserver.agentKey')"));
    }

    [Fact]
    public async Task The_key_survives_a_reload_of_the_tab_and_sign_out_forgets_it()
    {
        await _console.OpenSignedInAsync();

        await _console.Page.ReloadAsync();
        await Expect(_console.Connection).ToHaveTextAsync("Live");
        await Expect(_console.CallsHeading).ToBeVisibleAsync();

        await _console.ClickAsync("Sign out");
        await Expect(_console.KeyInput).ToBeFocusedAsync();
        await Expect(_console.CallsHeading).ToBeHiddenAsync();
        Assert.Null(await _console.Page.EvaluateAsync<string?>("sessionStorage.getItem('appserver.agentKey')"));
    }

    [Fact]
    public async Task An_incoming_call_and_its_status_changes_appear_without_reload()
    {
        await _console.OpenSignedInAsync();
        var caller = NewCaller();

        var sid = await app.SeedCallAsync(status: "ringing", from: caller, tweak: p => p["CallerName"] = "<img src=x onerror=alert(1)>Eve");

        await Expect(_console.Cell(sid, "caller")).ToHaveTextAsync($"<img src=x onerror=alert(1)>Eve ({caller})");
        await Expect(_console.Row(sid).Locator("img")).ToHaveCountAsync(0); // shown as text, never as markup
        await Expect(_console.Cell(sid, "status")).ToHaveTextAsync("ringing");

        await app.PostStatusAsync(sid, "in-progress");
        await Expect(_console.Cell(sid, "status")).ToHaveTextAsync("talking");

        await app.PostStatusAsync(sid, "completed", new Dictionary<string, string> { ["CallDuration"] = "75" });
        await Expect(_console.Cell(sid, "status")).ToHaveTextAsync("completed");
        await Expect(_console.Cell(sid, "duration")).ToHaveTextAsync("1:15");
    }

    [Fact]
    public async Task Cold_transfer_to_an_agent_from_the_list_asks_first_then_shows_the_new_state()
    {
        var sid = await app.SeedCallAsync(from: NewCaller());
        await _console.OpenSignedInAsync();
        await _console.SelectAsync(sid);

        await _console.ChooseAgentAsync("alice");
        await _console.ClickAsync("Cold transfer");
        await Expect(_console.Dialog).ToContainTextAsync("ring alice");
        await _console.ConfirmAsync("Transfer");

        await Expect(_console.Status).ToHaveTextAsync("Transfer to alice accepted: ringing alice…");
        await Expect(_console.Cell(sid, "agent")).ToHaveTextAsync("alice");
        await Expect(_console.History.First).ToContainTextAsync("Cold transfer");
        await Expect(_console.History.First.Locator(".transfer-state")).ToHaveTextAsync("completed");
        var request = Assert.Single(app.CallApi.RequestsMentioning(sid));
        Assert.StartsWith(CallApiFixture.PublicBaseUrl + "/CallToAlice?transfer=TR", request.Field("Url"));
    }

    [Fact]
    public async Task A_slow_transfer_shows_progress_and_its_pending_state_until_the_platform_answers()
    {
        var sid = await app.SeedCallAsync(from: NewCaller());
        app.CallApi.WhenMentioned(sid, ScriptedResponse.Slow(TimeSpan.FromSeconds(3)), times: 1);
        await _console.OpenSignedInAsync();
        await _console.SelectAsync(sid);

        await _console.ColdTransferAsync("alice");

        await Expect(_console.Status).ToHaveAttributeAsync("data-kind", "progress");
        await Expect(_console.Status).ToContainTextAsync("Transferring the call");
        await Expect(_console.Page.GetByRole(AriaRole.Button, new() { Name = "Cold transfer" })).ToBeDisabledAsync();
        await Expect(_console.History.First.Locator(".transfer-state")).ToHaveTextAsync("pending"); // pushed by the event stream
        await Expect(_console.History.First.Locator(".transfer-state")).ToHaveTextAsync("completed");
        await Expect(_console.Status).ToHaveTextAsync("Transfer to alice accepted: ringing alice…");
    }

    [Fact]
    public async Task Cold_transfer_to_a_typed_address_uses_it()
    {
        var sid = await app.SeedCallAsync(from: NewCaller());
        await _console.OpenSignedInAsync();
        await _console.SelectAsync(sid);

        await _console.ChooseAddressAsync("sip:dave@example.org");
        await _console.ClickAsync("Cold transfer");
        await _console.ConfirmAsync("Transfer");

        await Expect(_console.Status).ToHaveTextAsync("Transfer to sip:dave@example.org accepted: ringing sip:dave@example.org…");
        await Expect(_console.History.First).ToContainTextAsync("to sip:dave@example.org");
        Assert.Contains("/Dial?address=sip%3Adave%40example.org", Assert.Single(app.CallApi.RequestsMentioning(sid)).Field("Url"));
    }

    [Fact]
    public async Task Cold_transfer_without_a_target_says_what_is_missing_and_sends_nothing()
    {
        var sid = await app.SeedCallAsync(from: NewCaller());
        await _console.OpenSignedInAsync();
        await _console.SelectAsync(sid);

        await _console.ClickAsync("Cold transfer");

        await Expect(_console.Status).ToHaveTextAsync("Choose an agent or type an address to transfer to.");
        await Expect(_console.Page.GetByLabel("Transfer to")).ToBeFocusedAsync();
        await Expect(_console.Dialog).ToBeHiddenAsync();
        Assert.Empty(app.CallApi.RequestsMentioning(sid));
    }

    [Fact]
    public async Task A_malformed_address_gets_the_servers_problem_detail()
    {
        var sid = await app.SeedCallAsync(from: NewCaller());
        await _console.OpenSignedInAsync();
        await _console.SelectAsync(sid);

        await _console.ChooseAddressAsync("sip:no-host");
        await _console.ClickAsync("Cold transfer");
        await _console.ConfirmAsync("Transfer");

        await Expect(_console.Status).ToHaveAttributeAsync("data-kind", "error");
        await Expect(_console.Status).ToContainTextAsync("is not a valid SIP URI");
        Assert.Empty(app.CallApi.RequestsMentioning(sid));
    }

    [Fact]
    public async Task A_platform_error_is_shown_to_the_agent_and_kept_in_the_history()
    {
        var sid = await app.SeedCallAsync(from: NewCaller());
        app.CallApi.WhenMentioned(sid, ScriptedResponse.Text(500, "Timeout waiting for media server"));
        await _console.OpenSignedInAsync();
        await _console.SelectAsync(sid);

        await _console.ColdTransferAsync("carol");

        await Expect(_console.Status).ToHaveAttributeAsync("data-kind", "error");
        await Expect(_console.Status).ToContainTextAsync("to carol failed: CallAPI answered HTTP 500: Timeout waiting for media server");
        await Expect(_console.History.First.Locator(".transfer-state")).ToHaveTextAsync("failed");
        await Expect(_console.History.First.Locator(".reason")).ToContainTextAsync("Timeout waiting for media server");
        await Expect(_console.Cell(sid, "agent")).ToHaveTextAsync("bob"); // the call keeps its last good state
        await Expect(_console.Cell(sid, "status")).ToHaveTextAsync("talking");
    }

    [Fact]
    public async Task Hang_up_asks_for_confirmation_and_cancel_changes_nothing()
    {
        var sid = await app.SeedCallAsync(from: NewCaller());
        await _console.OpenSignedInAsync();
        await _console.SelectAsync(sid);

        await _console.ClickAsync("Hang up");
        await Expect(_console.Dialog).ToContainTextAsync("Hang up this call?");
        await Expect(_console.Dialog.GetByRole(AriaRole.Button, new() { Name = "Cancel" })).ToBeFocusedAsync();
        await _console.Page.Keyboard.PressAsync("Escape");
        await Expect(_console.Dialog).ToBeHiddenAsync();
        await Expect(_console.Status).ToHaveTextAsync("Nothing was changed.");
        Assert.Empty(app.CallApi.RequestsMentioning(sid));

        await _console.ClickAsync("Hang up");
        await _console.ConfirmAsync("Hang up");

        await Expect(_console.Status).ToContainTextAsync("was hung up");
        await Expect(_console.Cell(sid, "status")).ToHaveTextAsync("completed");
        Assert.Equal("completed", Assert.Single(app.CallApi.RequestsMentioning(sid)).Field("Status"));
        await Expect(_console.Page.GetByRole(AriaRole.Button, new() { Name = "Hang up", Exact = true })).ToBeDisabledAsync();
    }

    [Fact]
    public async Task Conference_then_invite_then_mute_each_show_progress_and_result()
    {
        var sid = await app.SeedCallAsync(from: NewCaller());
        var room = "room-" + Guid.NewGuid().ToString("N")[..8];
        await _console.OpenSignedInAsync();
        await _console.SelectAsync(sid);

        await _console.Page.GetByLabel("Conference room").FillAsync(room);
        await _console.ClickAsync("Start conference");
        await _console.ConfirmAsync("Start conference");
        await Expect(_console.Status).ToHaveTextAsync($"Conference in room {room} completed.");
        // The console shows the room once the caller is in it: when the platform fetched the room's RCML for it.
        await Expect(_console.Page.Locator("#fact-room")).ToHaveTextAsync("—");
        await app.FetchRcmlAsync($"/Conference?room={room}", sid);
        await Expect(_console.Page.Locator("#fact-room")).ToHaveTextAsync(room);

        await _console.Page.GetByLabel("Participant").FillAsync("+15557654321");
        await _console.ClickAsync("Invite");
        await Expect(_console.Status).ToHaveTextAsync($"+15557654321 invited into room {room} (completed).");

        var mute = _console.Page.Locator("#mute");
        await mute.ClickAsync();
        await Expect(_console.Status).ToHaveTextAsync("Call muted.");
        await Expect(mute).ToHaveAccessibleNameAsync("Unmute");
        await Expect(mute).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(mute).ToBeFocusedAsync(); // focus comes back to the button once the action is over
        await Expect(_console.Page.Locator("#fact-muted")).ToHaveTextAsync("yes");
        Assert.Contains(app.CallApi.RequestsMentioning(sid), r => r.Field("Mute") == "true");
    }

    [Fact]
    public async Task Keyboard_alone_signs_in_selects_a_call_and_reaches_its_actions()
    {
        var sid = await app.SeedCallAsync(from: NewCaller());
        await _console.OpenAsync();
        var keyboard = _console.Page.Keyboard;

        await keyboard.TypeAsync(AppServerFactory.ApiKey); // the key field has focus on load
        await keyboard.PressAsync("Enter");
        await Expect(_console.Connection).ToHaveTextAsync("Live");
        await _console.Row(sid).Locator("button.select-call").FocusAsync();
        await keyboard.PressAsync("Enter");

        await Expect(_console.Page.Locator("#detail-heading")).ToBeFocusedAsync();
        await Expect(_console.Page.Locator("#detail-heading")).ToContainTextAsync("Call from");
        await keyboard.PressAsync("Tab");
        await Expect(_console.Page.GetByRole(AriaRole.Button, new() { Name = "Mute", Exact = true })).ToBeFocusedAsync();
        await keyboard.PressAsync("Tab");
        await Expect(_console.Page.GetByRole(AriaRole.Button, new() { Name = "Hold", Exact = true })).ToBeFocusedAsync();
        await keyboard.PressAsync("Tab");
        await Expect(_console.Page.GetByRole(AriaRole.Button, new() { Name = "Hang up", Exact = true })).ToBeFocusedAsync();
        await keyboard.PressAsync("Tab");
        await Expect(_console.Page.GetByLabel("Transfer to")).ToBeFocusedAsync();
    }
}
