namespace AppServer.Calls.Store;

/// <summary>One queued call write, as <see cref="CallWriteQueue"/> hands it to the provider's committer.</summary>
public interface ICallWrite
{
    string CallSid { get; }
    bool CreateIfMissing { get; }
    Action<Call> Change { get; }

    /// <summary>Set when the change was refused for going over a storage limit: nothing of this write was stored.</summary>
    Exception? Refusal { get; set; }
}

/// <summary>
/// The provider-specific half of group commit: one transaction for a batch of call writes (never the same CallSid twice),
/// each a read-modify-write of the current row. SQLite: <see cref="SqliteCallBatchCommitter"/> (prepared statements on one
/// connection, inside <see cref="SqliteWriteGate"/>); PostgreSQL: <see cref="PostgresCallBatchCommitter"/> (row locks, so
/// instances sharing the database serialize on each call's row). Only the queue's single writer calls it.
/// </summary>
public interface ICallBatchCommitter : IDisposable
{
    /// <summary>
    /// Commits the batch and answers each write's stored call (null for an unknown call that may not be created). Throws when
    /// anything failed and the transaction rolled back: the queue then retries each write alone. Telling other instances is
    /// the committer's part (with the commit, where it can); the queue tells this process's subscribers.
    /// </summary>
    ValueTask<Call?[]> CommitAsync(IReadOnlyList<ICallWrite> batch, DateTimeOffset now);

    /// <summary>Closes the connection it keeps (shutdown); a later commit opens a new one.</summary>
    void Close();
}

/// <summary>The read-modify-write of one call both committers share.</summary>
public static class CallBatch
{
    /// <summary>
    /// Applies <paramref name="write"/> to the row as read (<paramref name="stored"/>, null when there is none): the call to
    /// store with its Version bumped, or null when the call is unknown and may not be created. <paramref name="originalVersion"/>
    /// is the Version as read (0 for a new row). A change refused for a storage limit sets <see cref="ICallWrite.Refusal"/> and
    /// answers null: only that write is refused (its row is left as it was), the rest of the group commits.
    /// </summary>
    public static Call? Apply(ICallWrite write, Call? stored, DateTimeOffset now, out long originalVersion)
    {
        originalVersion = stored?.Version ?? 0;
        if (stored is null)
        {
            if (!write.CreateIfMissing) return null;
            stored = new Call { CallSid = write.CallSid, CreatedAt = now };
        }
        try
        {
            write.Change(stored);
        }
        catch (StorageLimitExceededException refused)
        {
            write.Refusal = refused;
            return null;
        }
        stored.UpdatedAt = now;
        stored.Version = originalVersion + 1;
        return stored;
    }
}
