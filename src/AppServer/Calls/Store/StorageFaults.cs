using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AppServer.Calls.Store;

/// <summary>
/// Whether call writes are failing now (disk full, read-only file system, a lock held by another process, the database
/// server gone): one fault episode from the first failed commit to the next one that succeeds. It is logged once when it
/// starts and once when it ends, not per request (a full disk made 4 319 stack traces a minute), and
/// <c>/health/ready</c> reports it.
/// </summary>
public sealed class StorageFaults(TimeProvider time, ILogger<StorageFaults> logger)
{
    private readonly Lock _gate = new();
    private StorageFaultEpisode? _current;

    /// <summary>The episode under way, or null while writes work.</summary>
    public StorageFaultEpisode? Current => Volatile.Read(ref _current);

    /// <summary>
    /// A failure of the database itself (full, read-only, locked, unreachable, I/O), as opposed to one write's data or a
    /// rule in the database refusing it (a constraint, a trigger): those stay what they are.
    /// </summary>
    public static bool IsStorageFault(Exception e) => e switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode is 5 or 6 or 7 or 8 or 10 or 11 or 13 or 14 or 15 or 26,
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) // connection
            || pg.SqlState.StartsWith("53", StringComparison.Ordinal) // insufficient resources: disk full, out of memory
            || pg.SqlState.StartsWith("57", StringComparison.Ordinal) // operator intervention: shutdown, cannot connect now
            || pg.SqlState.StartsWith("58", StringComparison.Ordinal) // system error: I/O
            || pg.SqlState == PostgresErrorCodes.ReadOnlySqlTransaction,
        NpgsqlException => true, // no server answer at all: connection refused, reset, timed out
        IOException or TimeoutException => true,
        _ => e.InnerException is { } inner && IsStorageFault(inner),
    };

    /// <summary>Records a failed commit; the first of an episode is logged with its cause.</summary>
    public StorageUnavailableException Failed(Exception cause)
    {
        lock (_gate)
        {
            if (_current is { } episode)
            {
                episode.Failures++;
                return new StorageUnavailableException(episode.Reason, cause);
            }
            var reason = FirstLine(cause);
            Volatile.Write(ref _current, new StorageFaultEpisode(time.GetUtcNow(), reason) { Failures = 1 });
            logger.LogError(cause, "Call writes are failing: {Reason}. Webhooks are answered 503 with Retry-After (the platform "
                + "sends them again) until a write succeeds; this is logged again only when it ends", reason);
            return new StorageUnavailableException(reason, cause);
        }
    }

    /// <summary>Records a successful commit; ends the episode under way, if any, with one line.</summary>
    public void Succeeded()
    {
        if (Volatile.Read(ref _current) is null) return;
        lock (_gate)
        {
            if (_current is not { } episode) return;
            Volatile.Write(ref _current, null);
            logger.LogWarning("Call writes work again after {Seconds:F0} s; {Failures} write(s) failed meanwhile ({Reason})",
                (time.GetUtcNow() - episode.Since).TotalSeconds, episode.Failures, episode.Reason);
        }
    }

    private static string FirstLine(Exception e)
    {
        var root = e;
        while (root.InnerException is not null && root is not DbException) root = root.InnerException;
        return root.Message.Split('\n', 2)[0].Trim();
    }
}

/// <summary>Writes failing since <see cref="Since"/>, first for <see cref="Reason"/>.</summary>
public sealed record StorageFaultEpisode(DateTimeOffset Since, string Reason)
{
    public int Failures { get; set; }
}

/// <summary>A write that could not be committed because the database cannot take writes now; answered 503 + Retry-After.</summary>
public sealed class StorageUnavailableException(string reason, Exception? cause = null)
    : Exception($"The database cannot store this now ({reason}). Nothing was stored; send it again later.", cause)
{
    /// <summary>What the answer's Retry-After says: soon, since a fault often clears in seconds (a lock released).</summary>
    public const int RetryAfterSeconds = 5;
}
