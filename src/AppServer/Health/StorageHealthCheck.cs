using AppServer.Calls.Store;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AppServer.Health;

/// <summary>
/// Unhealthy while call writes fail. The database check alone opens a connection and reads, which a full disk, a read-only
/// file system or a lock held by another process all let through while every webhook failed.
/// </summary>
public sealed class StorageHealthCheck(StorageFaults faults) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(faults.Current is { } episode
            ? HealthCheckResult.Unhealthy(
                $"Call writes failing since {episode.Since:O} ({episode.Failures} so far): {episode.Reason}")
            : HealthCheckResult.Healthy("Call writes succeed"));
}
