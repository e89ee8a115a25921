using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>Fetching and executing RCML: parameters, verbs, redirects, status callbacks, FallbackUrl.</summary>
public sealed class RcmlExecutionTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Answered_outgoing_call_fetches_url_with_twilio_compatible_parameters()
    {
        var p = fx.NewPrefix();
        fx.App.Script(p + "/answer", "<Response><Say>hello</Say></Response>");

        var call = await fx.CreateCallAsync(("From", "+15550001111"), ("To", "client:bob"), ("Url",
            fx.App.Url(p + "/answer?token=secret")));
        await fx.IdleAsync();

        var fetch = fx.App.SingleRequestTo(p + "/answer");
        Assert.Equal("POST", fetch.Method);
        Assert.Equal(call.GetProperty("sid").GetString(), fetch["CallSid"]);
        Assert.Equal(EmulatorFixture.AccountSid, fetch["AccountSid"]);
        Assert.Equal("+15550001111", fetch["From"]);
        Assert.Equal("bob", fetch["To"]);
        Assert.Equal("in-progress", fetch["CallStatus"]);
        Assert.Equal("outbound-api", fetch["Direction"]);
        Assert.Equal("2012-04-24", fetch["ApiVersion"]);
        Assert.Equal("null", fetch["CallerName"]);
        Assert.Equal("null", fetch["ForwardedFrom"]);
        Assert.Equal("test-instance", fetch["InstanceId"]);
        Assert.True(DateTimeOffset.TryParse(fetch["CallTimestamp"], CultureInfo.InvariantCulture, out _));
        // Restcomm moves the configured URL's query string into the POST body.
        Assert.Equal("secret", fetch.Form["token"]);
        Assert.Empty(fetch.Query);
    }

    [Fact]
    public async Task Incoming_call_fetches_the_did_webhook_while_ringing_and_completes_after_the_document()
    {
        fx.App.Script(EmulatorFixture.DidPath(1),
            "<Response><Say>welcome</Say><Play>http://example.com/a.wav</Play><Pause length=\"30\"/></Response>");

        var call = await fx.IncomingAsync("client:alice", EmulatorFixture.Did(1));
        await fx.IdleAsync();

        var sid = call.GetProperty("sid").GetString()!;
        var fetch = fx.App.SingleRequestTo(EmulatorFixture.DidPath(1));
        Assert.Equal(sid, fetch["CallSid"]);
        Assert.Equal("alice", fetch["From"]);
        Assert.Equal(EmulatorFixture.Did(1), fetch["To"]);
        Assert.Equal("ringing", fetch["CallStatus"]);
        Assert.Equal("inbound", fetch["Direction"]);
        Assert.Equal("completed", await fx.StatusOfAsync(sid));
        var leg = await fx.LegAsync(sid);
        var activity = leg.GetProperty("activity").EnumerateArray().Select(a => a.GetString()).ToList();
        Assert.Contains("say: welcome", activity);
        Assert.Contains("play: http://example.com/a.wav", activity);
    }

    [Fact]
    public async Task Redirect_verb_fetches_the_next_document_with_its_method()
    {
        var p = fx.NewPrefix();
        fx.App.Script(p + "/first", $"<Response><Redirect method=\"GET\">{p}/second</Redirect><Say>never</Say></Response>");
        fx.App.Script(p + "/second", "<Response><Hangup/></Response>");

        var call = await fx.CreateCallAsync(("From", "+15550001111"), ("To", "+15550003001"), ("Url", fx.App.Url(p + "/first")));
        await fx.IdleAsync();

        var second = fx.App.SingleRequestTo(p + "/second");
        Assert.Equal("GET", second.Method);
        Assert.Equal(call.GetProperty("sid").GetString(), second.Query["CallSid"]);
        Assert.Equal("+15550001111", second.Query["From"]);
        Assert.Empty(second.Form);
    }

    [Fact]
    public async Task Redirect_loop_is_cut_after_ten_redirects()
    {
        var p = fx.NewPrefix();
        fx.App.Script(p + "/loop", $"<Response><Redirect>{p}/loop</Redirect></Response>");

        var sid = (await fx.CreateCallAsync(("From", "+15550001111"), ("To", "+15550003002"), ("Url",
            fx.App.Url(p + "/loop")))).GetProperty("sid").GetString()!;
        await fx.IdleAsync();

        Assert.Equal(11, fx.App.RequestsTo(p + "/loop").Count);
        Assert.Equal("completed", await fx.StatusOfAsync(sid));
    }

    [Fact]
    public async Task Status_callback_reports_completion_with_duration()
    {
        var p = fx.NewPrefix();

        var sid = (await fx.CreateCallAsync(
            ("From", "+15550001111"), ("To", "+15550003003"),
            ("Url", fx.App.Script(p + "/bye", "<Response><Hangup/></Response>")),
            ("StatusCallback", fx.App.Url(p + "/status")),
            ("StatusCallbackEvent", "ringing,answered,completed"))).GetProperty("sid").GetString()!;
        await fx.IdleAsync();

        var statuses = fx.App.RequestsTo(p + "/status").Select(r => r["CallStatus"]).ToList();
        // Restcomm's call-progress events name the event (its Call actor's CallbackState), not the call status.
        Assert.Equal(["ringing", "answered", "completed"], statuses);
        var completed = fx.App.RequestsTo(p + "/status")[^1];
        Assert.Equal(sid, completed["CallSid"]);
        Assert.NotNull(completed["CallDuration"]);
    }

    [Fact]
    public async Task Busy_callee_ends_the_outgoing_call_busy_without_fetching_its_url()
    {
        var p = fx.NewPrefix();
        fx.Emulator.Scenario().Set("+15550003004", "busy");

        var sid = (await fx.CreateCallAsync(("From", "+15550001111"), ("To", "+15550003004"), ("Url",
            fx.App.Url(p + "/never")))).GetProperty("sid").GetString()!;
        await fx.IdleAsync();

        Assert.Equal("busy", await fx.StatusOfAsync(sid));
        Assert.Empty(fx.App.RequestsTo(p + "/never"));
    }

    [Fact]
    public async Task FallbackUrl_is_fetched_when_the_application_is_down()
    {
        var p = fx.NewPrefix();
        fx.App.Script(p + "/fallback", "<Response><Say>sorry</Say><Hangup/></Response>");
        var down = EmulatorFixture.UnreachableUrl("/incoming");

        var sid = (await fx.CreateCallAsync(("From", "+15550001111"), ("To", "+15550003005"), ("Url", down), ("FallbackUrl",
            fx.App.Url(p + "/fallback"))))
            .GetProperty("sid").GetString()!;
        await fx.IdleAsync();

        var fallback = fx.App.SingleRequestTo(p + "/fallback");
        Assert.Equal(sid, fallback["CallSid"]);
        Assert.Equal(down, fallback["ErrorUrl"]);
        Assert.Equal("completed", await fx.StatusOfAsync(sid));
    }

    [Theory]
    [InlineData("this is not xml")]
    [InlineData("<Response><Dance/></Response>")]
    [InlineData("<html><body>oops</body></html>")]
    public async Task FallbackUrl_is_fetched_when_the_document_is_unusable(string garbage)
    {
        var p = fx.NewPrefix();
        fx.App.Script(p + "/garbage", garbage);
        fx.App.Script(p + "/fallback", "<Response><Hangup/></Response>");

        await fx.CreateCallAsync(("From", "+15550001111"), ("To", "+15550003006"), ("Url", fx.App.Url(p + "/garbage")), ("FallbackUrl",
            fx.App.Url(p + "/fallback")));
        await fx.IdleAsync();

        Assert.Single(fx.App.RequestsTo(p + "/garbage"));
        Assert.Single(fx.App.RequestsTo(p + "/fallback"));
    }

    [Fact]
    public async Task Incoming_call_without_usable_rcml_and_without_fallback_fails()
    {
        fx.App.Answer(EmulatorFixture.DidPath(2), 500, "boom");

        var sid = (await fx.IncomingAsync("dave", EmulatorFixture.Did(2))).GetProperty("sid").GetString()!;
        await fx.IdleAsync();

        Assert.Equal("failed", await fx.StatusOfAsync(sid));
    }

    [Fact]
    public async Task Reject_with_reason_busy_ends_the_incoming_call_busy()
    {
        fx.App.Script(EmulatorFixture.DidPath(3), "<Response><Reject reason=\"busy\"/></Response>");

        var sid = (await fx.IncomingAsync("+15550008888", EmulatorFixture.Did(3))).GetProperty("sid").GetString()!;
        await fx.IdleAsync();

        Assert.Equal("busy", await fx.StatusOfAsync(sid));
    }
}
