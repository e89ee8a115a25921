using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AppServer.Telemetry;

/// <summary>
/// AppServer's own instruments, on the <see cref="MeterName"/> meter (docs/telemetry.md lists them). Made by the host's
/// <see cref="IMeterFactory"/>, so each host (and each test server) has its own meter. Tags are small closed sets (route
/// patterns, action modes, enum names): never a CallSid, which would make one time series per call.
/// </summary>
public sealed class AppServerMetrics
{
    public const string MeterName = "AppServer";

    // CallAPI answers in milliseconds to seconds; the timeout is CallApi:TimeoutSeconds (10 s by default).
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256];

    private readonly Counter<long> _webhooks;
    private readonly Counter<long> _actions;
    private readonly Histogram<double> _callApiDuration;
    private readonly Histogram<int> _batchSize;

    public AppServerMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _webhooks = Meter.CreateCounter<long>("appserver.webhooks", "{webhook}",
            "Platform callbacks answered, by route and outcome.");
        _actions = Meter.CreateCounter<long>("appserver.actions", "{action}",
            "Agent actions (transfers, call control), by mode and outcome.");
        _callApiDuration = Meter.CreateHistogram("appserver.callapi.request.duration", "s",
            "CallAPI requests as the caller waited for them (a retried request counts once), by operation and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _batchSize = Meter.CreateHistogram("appserver.call_writes.batch_size", "{write}",
            "Call writes committed together in one transaction (group commit).",
            advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
    }

    /// <summary>The meter, for the observable instruments (<see cref="AppServerGauges"/>).</summary>
    public Meter Meter { get; }

    public void WebhookAnswered(string route, string outcome) =>
        _webhooks.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("outcome", outcome));

    /// <param name="reason">Why it failed or was rejected (an enum name); null when it completed.</param>
    public void ActionFinished(string mode, string outcome, string? reason) =>
        _actions.Add(1, new KeyValuePair<string, object?>("mode", mode), new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("reason", reason ?? "none"));

    public void CallApiRequested(string operation, string outcome, TimeSpan duration) =>
        _callApiDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("operation", operation),
            new KeyValuePair<string, object?>("outcome", outcome));

    public void CallWriteBatch(int writes) => _batchSize.Record(writes);
}

public static class AppServerMetricsSetup
{
    /// <summary>
    /// The instruments, for every feature that records on them: each calls this, so a feature registered alone (as some
    /// tests do) still resolves. Without a listener (no meter provider) a measurement costs a check and nothing else.
    /// </summary>
    public static IServiceCollection AddAppServerMetrics(this IServiceCollection services)
    {
        services.AddMetrics(); // IMeterFactory; a no-op when the host registered it already
        services.TryAddSingleton<AppServerMetrics>();
        return services;
    }
}
