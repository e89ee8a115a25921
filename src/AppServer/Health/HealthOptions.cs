using System.ComponentModel.DataAnnotations;

namespace AppServer.Health;

/// <summary>The <c>AppServer:Health</c> section.</summary>
public sealed class HealthOptions
{
    public const string Section = "AppServer:Health";

    /// <summary>
    /// How long /health/ready reuses the answer of its CallAPI credentials check: probes every few seconds from every
    /// instance must not become that many requests to the platform. 0 checks on every probe.
    /// </summary>
    [Range(0, 3600, ErrorMessage = "AppServer:Health:CallApiCheckSeconds must be between 0 (every probe) and 3600.")]
    public int CallApiCheckSeconds { get; set; } = 30;
}
