using System.Diagnostics.Metrics;
using AppServer.AgentConsole;
using AppServer.Calls.Store;

namespace AppServer.Telemetry;

/// <summary>
/// The observable instruments: read only when a reader collects (a scrape, an OTLP export), from values the services keep
/// anyway, so they cost nothing between collections. Created when the host starts, once every service they read exists.
/// </summary>
internal sealed class AppServerGauges(AppServerMetrics metrics, CallWriteQueue writes, CallEventBroadcaster consoles,
    LiveCallCount liveCalls) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var meter = metrics.Meter;
        meter.CreateObservableGauge("appserver.call_writes.queued", () => writes.Depth, "{write}",
            "Call writes waiting for the group commit (queued, or held back behind an earlier write to the same call).");
        meter.CreateObservableGauge("appserver.console.streams", () => consoles.Subscribers, "{stream}",
            "Open agent console event streams (SSE clients) on this instance.");
        meter.CreateObservableGauge("appserver.calls.live", LiveCalls, "{call}",
            "Calls and legs stored and not known to have ended (refreshed at most every LiveCallsRefreshSeconds).");
        return Task.CompletedTask;
    }

    private IEnumerable<Measurement<long>> LiveCalls() =>
        liveCalls.Current() is { } count ? [new Measurement<long>(count)] : [];

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
