using System.ComponentModel.DataAnnotations;

namespace AppServer.Telemetry;

/// <summary>
/// <c>AppServer:Telemetry</c>. Which exporters run is decided once, at start-up (a meter provider cannot gain or lose an
/// exporter later); the OTLP exporter follows the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> instead of a key of ours.
/// </summary>
public sealed class TelemetryOptions
{
    public const string Section = "AppServer:Telemetry";

    /// <summary>The standard variable that switches the OTLP exporter on (traces and metrics), read like any setting.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public const string ScrapePath = "/metrics";

    /// <summary>Serve the Prometheus scrape endpoint at <see cref="ScrapePath"/>.</summary>
    public bool PrometheusEnabled { get; set; } = true;

    /// <summary>
    /// Record traces even without an OTLP endpoint (for a tracer configured elsewhere, e.g. a test's collector). Without
    /// either, no span is recorded at all: a trace nobody exports would only cost every request.
    /// </summary>
    public bool TracesEnabled { get; set; }

    /// <summary>How old the live-call count may get before a scrape asks the database again (one COUNT, in the background).</summary>
    [Range(1, 3600, ErrorMessage = "AppServer:Telemetry:LiveCallsRefreshSeconds must be between 1 and 3600.")]
    public int LiveCallsRefreshSeconds { get; set; } = 15;
}
