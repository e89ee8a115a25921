using System.Net;
using AppServer.Tests.Infrastructure;

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
}
