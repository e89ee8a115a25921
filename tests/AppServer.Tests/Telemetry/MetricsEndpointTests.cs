using System.Net;
using System.Net.Http.Json;
using AppServer.Calls.Store;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class MetricsEndpointTests
{
    private static async Task<PrometheusText> ScrapeAsync(HttpClient client)
    {
        var response = await client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new PrometheusText(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Webhooks_are_counted_by_route_and_outcome()
    {
        await using var app = await TelemetryApp.StartAsync();
        await app.IncomingCallAsync();
        await app.IncomingCallAsync();
        var forged = new Dictionary<string, string> { ["CallSid"] = Webhook.NewCallSid(), ["CallStatus"] = "ringing", ["token"] = "wrong" };
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Client.PostFormAsync("/status", forged)).StatusCode);

        var metrics = await ScrapeAsync(app.Client);

        Assert.Equal(2, metrics.Value("appserver_webhooks_total", ("route", "/incoming"), ("outcome", "accepted")));
        Assert.Equal(2, metrics.Value("appserver_webhooks_total", ("route", "/status"), ("outcome", "accepted")));
        Assert.Equal(1, metrics.Value("appserver_webhooks_total", ("route", "/status"), ("outcome", "unauthenticated")));
    }

    [Fact]
    public async Task Actions_are_counted_by_mode_and_outcome_and_CallAPI_requests_are_timed()
    {
        await using var app = await TelemetryApp.StartAsync();
        var sid = await app.IncomingCallAsync();
        await app.ColdTransferAsync(sid);
        var refused = await app.IncomingCallAsync();
        app.CallApi.WhenMentioned(refused, ScriptedResponse.Text(500, "boom"));
        var failed = await app.Agent.PostAsJsonAsync("/transfer", new { callSid = refused, to = "alice", mode = "cold" });
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        var unknown = await app.Agent.PostAsJsonAsync("/transfer", new { callSid = Webhook.NewCallSid(), to = "alice", mode = "cold" });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);

        var metrics = await ScrapeAsync(app.Client);

        Assert.Equal(1, metrics.Value("appserver_actions_total", ("mode", "cold"), ("outcome", "completed"), ("reason", "none")));
        Assert.Equal(1, metrics.Value("appserver_actions_total", ("mode", "cold"), ("outcome", "failed"), ("reason", "PlatformRefused")));
        Assert.Equal(1, metrics.Value("appserver_actions_total", ("mode", "cold"), ("outcome", "rejected"), ("reason", "CallNotFound")));
        const string duration = "appserver_callapi_request_duration_seconds";
        Assert.Equal(1, metrics.Value(duration + "_count", ("operation", "modify"), ("outcome", "Succeeded")));
        Assert.Equal(1, metrics.Value(duration + "_count", ("operation", "modify"), ("outcome", "HttpError")));
        Assert.InRange(metrics.Value(duration + "_sum", ("operation", "modify"), ("outcome", "Succeeded")), 0.000001, 10);
        // The fake answers at once: the request fell in a bucket well under the timeout.
        Assert.Equal(1, metrics.Value(duration + "_bucket", ("operation", "modify"), ("outcome", "Succeeded"), ("le", "5")));
    }

    [Fact]
    public async Task Every_call_write_is_in_a_committed_batch()
    {
        await using var app = await TelemetryApp.StartAsync();
        for (var i = 0; i < 3; i++) await app.IncomingCallAsync(); // an incoming and a status write each

        var metrics = await ScrapeAsync(app.Client);

        Assert.Equal(6, metrics.Value("appserver_call_writes_batch_size_sum"));
        Assert.InRange(metrics.Value("appserver_call_writes_batch_size_count"), 1, 6);
        Assert.Equal(0, metrics.Value("appserver_call_writes_queued")); // every write above was acknowledged, so committed
    }

    [Fact]
    public async Task Writes_waiting_behind_a_busy_writer_are_the_queue_depth()
    {
        await using var app = await TelemetryApp.StartAsync();
        var gate = app.Server.Services.GetRequiredService<SqliteWriteGate>();
        Task<HttpResponseMessage> Incoming() => app.Client.PostFormAsync("/incoming",
            new Dictionary<string, string>(Webhook.RestcommIncoming(Webhook.NewCallSid())) { ["token"] = TelemetryApp.WebhookToken });

        List<Task<HttpResponseMessage>> webhooks;
        await using (await gate.EnterAsync(CancellationToken.None))
        {
            webhooks = [Incoming()];
            await Task.Delay(500); // the writer takes it and waits for the gate
            webhooks.AddRange([Incoming(), Incoming(), Incoming()]);
            await Eventually.HoldsAsync(async () => (await ScrapeAsync(app.Client)).Value("appserver_call_writes_queued") == 3,
                "three writes queued behind the one being written");
        }

        foreach (var webhook in webhooks) Assert.Equal(HttpStatusCode.OK, (await webhook).StatusCode);
        await Eventually.HoldsAsync(async () => (await ScrapeAsync(app.Client)).Value("appserver_call_writes_queued") == 0,
            "the queue drained");
    }

    [Fact]
    public async Task Open_console_streams_are_reported_while_they_are_open()
    {
        await using var app = await TelemetryApp.StartAsync();
        Assert.Equal(0, (await ScrapeAsync(app.Client)).Value("appserver_console_streams"));

        await using (await EventStreamReader.OpenAsync(app.Agent))
        await using (await EventStreamReader.OpenAsync(app.Agent))
        {
            await Eventually.HoldsAsync(async () => (await ScrapeAsync(app.Client)).Value("appserver_console_streams") == 2,
                "two open streams reported");
        }

        await Eventually.HoldsAsync(async () => (await ScrapeAsync(app.Client)).Value("appserver_console_streams") == 0,
            "closed streams no longer reported");
    }

    [Fact]
    public async Task Live_calls_are_counted_from_a_cached_count_refreshed_after_LiveCallsRefreshSeconds()
    {
        await using var app = await TelemetryApp.StartAsync(new Dictionary<string, string?>
        {
            ["AppServer:Telemetry:LiveCallsRefreshSeconds"] = "2",
        });
        await Eventually.HoldsAsync(async () => (await ScrapeAsync(app.Client)).Has("appserver_calls_live"), "a first count");
        Assert.Equal(0, (await ScrapeAsync(app.Client)).Value("appserver_calls_live"));

        await app.IncomingCallAsync();
        await app.IncomingCallAsync();
        await Task.Delay(400); // past the exporter's own 300 ms scrape cache, within our 2 s
        Assert.Equal(0, (await ScrapeAsync(app.Client)).Value("appserver_calls_live")); // no query per scrape

        await Eventually.HoldsAsync(async () => (await ScrapeAsync(app.Client)).Value("appserver_calls_live") == 2,
            "the count refreshed", timeoutMs: 8000);
    }

    [Fact]
    public async Task Metrics_path_is_not_found_when_Prometheus_is_turned_off()
    {
        await using var app = await TelemetryApp.StartAsync(new Dictionary<string, string?>
        {
            ["AppServer:Telemetry:PrometheusEnabled"] = "false",
        });
        await app.IncomingCallAsync(); // the instruments still work without a reader

        var response = await app.Client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
