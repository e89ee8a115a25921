using AppServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AppServer.Telemetry;

/// <summary>
/// The number of calls (and legs) not known to have ended, for the live-calls gauge. A scrape must stay cheap and an
/// observable callback is synchronous, so it never waits for the database: it reads the last count, and when that is
/// older than <see cref="TelemetryOptions.LiveCallsRefreshSeconds"/> it starts one COUNT in the background for a later
/// scrape. Nothing is queried while nobody scrapes. With PostgreSQL the count covers every instance sharing the database.
/// </summary>
public sealed class LiveCallCount(IServiceScopeFactory scopes, TimeProvider time, IOptions<TelemetryOptions> options,
    IHostApplicationLifetime lifetime, ILogger<LiveCallCount> logger)
{
    private long _count = -1; // unknown until the first count came back
    private long _countedAt;
    private int _counting;

    /// <summary>The last count (null before the first one came back); starts a fresh count when it is stale.</summary>
    public long? Current()
    {
        var countedAt = Volatile.Read(ref _countedAt);
        var stale = countedAt == 0 || time.GetElapsedTime(countedAt) >= TimeSpan.FromSeconds(options.Value.LiveCallsRefreshSeconds);
        if (stale && Interlocked.CompareExchange(ref _counting, 1, 0) == 0) _ = CountAsync();
        var count = Volatile.Read(ref _count);
        return count < 0 ? null : count;
    }

    private async Task CountAsync()
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var live = await db.Calls.CountAsync(c => c.EndedAt == null, lifetime.ApplicationStopping);
            Volatile.Write(ref _count, live);
        }
        catch (Exception e) when (!lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // The gauge keeps its last value; the next stale scrape tries again.
            logger.LogWarning(e, "Counting live calls for the appserver.calls.live gauge failed");
        }
        catch (OperationCanceledException)
        {
            // shutting down
        }
        finally
        {
            Volatile.Write(ref _countedAt, time.GetTimestamp());
            Volatile.Write(ref _counting, 0);
        }
    }
}
