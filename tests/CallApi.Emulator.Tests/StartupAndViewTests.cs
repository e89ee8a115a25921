using System.Text.Json;
using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>Starting the emulator from the command line, and its read-only views.</summary>
public sealed class StartupAndViewTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Call_from_and_call_to_flags_place_an_incoming_call_at_startup()
    {
        await using var app = new FakeApplication();
        await app.StartAsync();
        app.Script("/did", "<Response><Hangup/></Response>");
        await using var emulator = EmulatorApp.Build(
            ["--call-from", "alice", "--call-to", "+15550001000", "--Logging:LogLevel:Default=Warning"],
            o =>
            {
                o.Urls = "http://127.0.0.1:0";
                o.Numbers["+15550001000"] = new NumberRoute { Url = app.Url("/did") };
            });

        await emulator.StartAsync();
        Assert.True(await emulator.WaitForIdleAsync(TimeSpan.FromSeconds(10)));

        var fetch = app.SingleRequestTo("/did");
        Assert.Equal("alice", fetch["From"]);
        Assert.Equal("+15550001000", fetch["To"]);
        Assert.Equal("inbound", fetch["Direction"]);
        await emulator.StopAsync();
    }

    [Fact]
    public async Task State_lists_live_legs_and_the_page_renders_them_html_encoded()
    {
        var p = fx.NewPrefix();
        var sid = await fx.AnsweredCallRunningAsync(p + "/room",
            $"<Response><Dial><Conference>{p}&lt;b&gt;</Conference></Dial></Response>");

        var state = await fx.StateAsync();
        var html = await fx.Http.GetStringAsync("/");

        Assert.Contains(state.GetProperty("calls").EnumerateArray(), c => c.GetProperty("call").GetProperty("sid").GetString() == sid);
        Assert.Contains(sid, html);
        Assert.Contains("&lt;b&gt;", html);
        Assert.DoesNotContain("<b>", html);
        await fx.ModifyAsync(sid, ("Status", "completed"));
        await fx.IdleAsync();
        var after = await fx.StateAsync();
        Assert.DoesNotContain(after.GetProperty("calls").EnumerateArray(),
            c => c.GetProperty("call").GetProperty("sid").GetString() == sid);
    }

    [Fact]
    public async Task Scenario_endpoint_sets_how_a_party_answers()
    {
        var p = fx.NewPrefix();
        var response = await fx.PostFormAsync("/emulator/scenario", ("Address", "+15550005001"), ("Outcome", "busy"));
        response.EnsureSuccessStatusCode();

        var sid = (await fx.CreateCallAsync(("From", "+15550001111"), ("To", "+15550005001"), ("Url",
            fx.App.Url(p + "/never")))).GetProperty("sid").GetString()!;
        await fx.IdleAsync();

        Assert.Equal("busy", await fx.StatusOfAsync(sid));
    }
}
