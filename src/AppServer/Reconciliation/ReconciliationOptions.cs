using System.ComponentModel.DataAnnotations;

namespace AppServer.Reconciliation;

/// <summary><c>AppServer:Reconciliation</c>: how often calls believed live are checked against the platform, and how gently.</summary>
public sealed class ReconciliationOptions
{
    public const string Section = "AppServer:Reconciliation";

    /// <summary>Seconds between rounds (the first runs at start-up); 0 turns reconciliation off.</summary>
    [Range(0, 86400, ErrorMessage = "AppServer:Reconciliation:IntervalSeconds must be between 0 (off) and 86400.")]
    public int IntervalSeconds { get; set; } = 300;

    /// <summary>At most this many platform reads per minute, however many calls are believed live.</summary>
    [Range(1, 6000, ErrorMessage = "AppServer:Reconciliation:MaxReadsPerMinute must be between 1 and 6000.")]
    public int MaxReadsPerMinute { get; set; } = 60;

    /// <summary>Calls checked per round at most (the oldest first); the rest wait for the next round.</summary>
    [Range(1, 100000, ErrorMessage = "AppServer:Reconciliation:MaxCallsPerRound must be between 1 and 100000.")]
    public int MaxCallsPerRound { get; set; } = 1000;
}
