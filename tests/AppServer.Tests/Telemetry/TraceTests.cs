using System.Collections.Concurrent;
using System.Diagnostics;
using AppServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AppServer.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class TraceTests
{
    /// <summary>Keeps every span the app's tracer provider finished (an in-memory exporter, without the package).</summary>
    private sealed class SpanCollector : BaseProcessor<Activity>
    {
        public ConcurrentQueue<Activity> Ended { get; } = new();
        public override void OnEnd(Activity data) => Ended.Enqueue(data);
    }

    private static Task<TelemetryApp> StartTracingAsync(SpanCollector spans, bool tracesEnabled = true) =>
        TelemetryApp.StartAsync(new Dictionary<string, string?> { ["AppServer:Telemetry:TracesEnabled"] = tracesEnabled.ToString() },
            web => web.ConfigureServices(services =>
                services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(spans))));

    private static async Task<Activity> EventuallyOne(SpanCollector spans, Func<Activity, bool> match, string what)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(spans.Ended.Any(match)), what);
        return Assert.Single(spans.Ended, a => match(a));
    }

    private static string? CallSidOf(Activity span) => span.GetTagItem("appserver.call_sid") as string;

    [Fact]
    public async Task An_action_request_span_carries_the_CallSid_and_is_the_parent_of_its_CallAPI_request_span()
    {
        var spans = new SpanCollector();
        await using var app = await StartTracingAsync(spans);
        var sid = await app.IncomingCallAsync();

        await app.ColdTransferAsync(sid);

        var incoming = await EventuallyOne(spans,
            a => a.Kind == ActivityKind.Server && a.GetTagItem("http.route") as string == "/transfer", "the /transfer request span");
        Assert.Equal(sid, CallSidOf(incoming));
        var callApi = await EventuallyOne(spans,
            a => a.Kind == ActivityKind.Client && (a.GetTagItem("url.full") as string ?? "").Contains($"/Calls/{sid}.json"),
            "the CallAPI request span");
        Assert.Equal(incoming.TraceId, callApi.TraceId);
        Assert.Equal(incoming.SpanId, callApi.ParentSpanId);
        Assert.Equal("POST", callApi.GetTagItem("http.request.method"));
        Assert.Equal(200, callApi.GetTagItem("http.response.status_code"));
        // The trace reached the platform: the fake CallAPI was sent the W3C traceparent of that span.
        var sent = Assert.Single(app.CallApi.RequestsMentioning(sid));
        Assert.Contains(callApi.SpanId.ToHexString(), sent.Headers.GetValueOrDefault("traceparent"));
    }

    [Fact]
    public async Task Webhook_request_spans_carry_the_CallSid()
    {
        var spans = new SpanCollector();
        await using var app = await StartTracingAsync(spans);

        var sid = await app.IncomingCallAsync();

        foreach (var route in new[] { "/incoming", "/status" })
        {
            var span = await EventuallyOne(spans,
                a => a.Kind == ActivityKind.Server && a.GetTagItem("http.route") as string == route && CallSidOf(a) == sid,
                $"the {route} request span");
            Assert.Equal(ActivityStatusCode.Unset, span.Status);
        }
    }

    [Fact]
    public async Task Without_an_OTLP_endpoint_or_TracesEnabled_no_span_is_recorded()
    {
        var spans = new SpanCollector();
        await using var app = await StartTracingAsync(spans, tracesEnabled: false);

        await app.IncomingCallAsync();
        Assert.Equal(200, (int)(await app.Client.GetAsync("/metrics")).StatusCode);

        Assert.Empty(spans.Ended);
    }
}
