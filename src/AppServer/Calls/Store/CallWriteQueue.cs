using System.Threading.Channels;
using AppServer.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AppServer.Calls.Store;

/// <summary>
/// Group commit for call writes. SQLite with <c>synchronous = FULL</c> pays one fsync per transaction, so one
/// transaction per webhook caps ingest at the disk's fsync rate. Writes are queued here and one writer applies
/// everything waiting (up to <see cref="MaxBatch"/>) in a single transaction: one fsync for the whole group.
/// <para>
/// What each caller sees is unchanged: its task completes only after the transaction holding its write has
/// committed (an acknowledged webhook is durable), each write is a read-modify-write of the current row (one row
/// per CallSid, every parameter merged, status never backwards), and writes to one CallSid apply in arrival order
/// (a batch never holds the same CallSid twice; a second write waits for the next batch and sees the first one's result).
/// If a batch fails, its writes are retried one transaction each, so only the write that fails gets the exception.
/// </para>
/// <para>
/// The group is written with prepared statements (<see cref="CallRowWriter"/>): EF Core's change tracker cost the
/// single writer several times the rest of the work. Reads elsewhere still go through EF Core.
/// </para>
/// </summary>
/// <para>
/// The single writer is a <see cref="BackgroundService"/> started with the host, so it never runs inside (and keeps
/// the execution context, log scope and trace of) whichever request happened to write first.
/// </para>
public sealed class CallWriteQueue(IServiceScopeFactory scopes, TimeProvider time, CallChangeFeed feed, SqliteWriteGate gate,
    ILogger<CallWriteQueue> logger) : BackgroundService
{
    public const int MaxBatch = 256;

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private CallRowWriter? _rows;

    /// <summary>Applies <paramref name="change"/> to the call (created when missing and allowed); null when the call is unknown.</summary>
    /// <remarks>Not an async method on purpose: every webhook passes here, and the task handed back is the write's own.</remarks>
    public Task<Call?> WriteAsync(string callSid, bool createIfMissing, Action<Call> change, CancellationToken ct)
    {
        if (ct.IsCancellationRequested) return Task.FromCanceled<Call?>(ct);
        var write = new PendingWrite(callSid, createIfMissing, change, ct);
        // Until the writer takes it, a canceled request withdraws its write; once taken, it commits regardless.
        write.WithdrawOnCancel();
        if (_queue.Writer.TryWrite(write)) return write.Completion.Task;
        // Shutting down: nobody drains the queue any more, so write this one alone.
        return write.TryTake() ? WriteAloneAsync(write, ct) : write.Completion.Task;
    }

    private async Task<Call?> WriteAloneAsync(PendingWrite write, CancellationToken ct)
    {
        await using (await gate.EnterAsync(ct))
        {
            var call = Commit([write])[0];
            if (write.Refusal is { } refused) throw refused;
            return call;
        }
    }

    /// <summary>The single writer: drains the queue until <see cref="StopAsync"/> completes it (not on the stopping token,
    /// so writes already queued at shutdown are still committed).</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingWrite>(MaxBatch);
        var callSids = new HashSet<string>(StringComparer.Ordinal);
        // Writes for a CallSid already in the batch wait for the next one, in arrival order: a later write to a call
        // must see the earlier one's result. Writes to other calls do not wait behind them.
        var deferred = new List<PendingWrite>();
        var stillDeferred = new List<PendingWrite>();
        var reader = _queue.Reader;
        while (deferred.Count > 0 || await reader.WaitToReadAsync())
        {
            batch.Clear();
            callSids.Clear();
            stillDeferred.Clear();
            foreach (var write in deferred)
            {
                if (batch.Count < MaxBatch && callSids.Add(write.CallSid)) batch.Add(write);
                else stillDeferred.Add(write);
            }
            while (batch.Count < MaxBatch && stillDeferred.Count < MaxBatch * 4 && reader.TryRead(out var next))
            {
                if (!next.TryTake()) continue; // canceled while queued
                if (callSids.Add(next.CallSid)) batch.Add(next);
                else stillDeferred.Add(next);
            }
            (deferred, stillDeferred) = (stillDeferred, deferred);
            if (batch.Count > 0) await WriteBatchAsync(batch);
        }
    }

    private async Task WriteBatchAsync(List<PendingWrite> batch)
    {
        try
        {
            await using (await gate.EnterAsync(CancellationToken.None))
            {
                Call?[] results;
                try
                {
                    results = Commit(batch);
                }
                catch (Exception ex) when (batch.Count > 1)
                {
                    // Something in the group failed and the whole transaction rolled back: redo each write alone.
                    logger.LogWarning(ex, "Group commit of {Count} call writes failed; retrying them one by one", batch.Count);
                    foreach (var write in batch)
                    {
                        try
                        {
                            write.Finish(Commit([write])[0]);
                        }
                        catch (Exception single)
                        {
                            write.Fail(single);
                        }
                    }
                    return;
                }
                for (var i = 0; i < batch.Count; i++) batch[i].Finish(results[i]);
            }
        }
        catch (Exception ex)
        {
            foreach (var write in batch) write.Fail(ex);
        }
    }

    /// <summary>
    /// One transaction for the batch (the caller holds the gate): read the rows of the batch in one query, apply each change,
    /// insert or update, commit: prepared statements on the writer's own connection (<see cref="CallRowWriter"/>).
    /// Synchronous on purpose: SQLite's API is, and only the single writer runs this.
    /// </summary>
    private Call?[] Commit(IReadOnlyList<PendingWrite> batch)
    {
        var rows = _rows ??= OpenRows();
        try
        {
            using var transaction = rows.Begin();
            var existing = rows.Read(transaction, batch.Select(w => w.CallSid));
            var now = time.GetUtcNow();
            var results = new Call?[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var write = batch[i];
                var isNew = !existing.TryGetValue(write.CallSid, out var call);
                if (isNew)
                {
                    if (!write.CreateIfMissing) continue;
                    call = new Call { CallSid = write.CallSid, CreatedAt = now };
                }
                var originalVersion = call!.Version;
                try
                {
                    write.Change(call);
                }
                catch (StorageLimitExceededException refused)
                {
                    // Only this write is refused (its row is left as it was); the rest of the group commits.
                    write.Refusal = refused;
                    continue;
                }
                call.UpdatedAt = now;
                call.Version = originalVersion + 1;
                if (isNew) rows.Insert(call);
                else rows.Update(call, originalVersion);
                results[i] = call;
            }
            transaction.Commit();
            foreach (var call in results)
                if (call is not null) feed.Publish(call.CallSid);
            return results;
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            // The connection may be unusable (disk error, file replaced): open a fresh one for the next write.
            _rows = null;
            rows.Dispose();
            throw;
        }
    }

    private CallRowWriter OpenRows()
    {
        using var scope = scopes.CreateScope();
        return CallRowWriter.Open(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>Stops taking writes and finishes the ones already queued.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        await using (await gate.EnterAsync(CancellationToken.None))
        {
            _rows?.Dispose();
            _rows = null;
        }
    }

    /// <summary>A write that arrived after <see cref="StopAsync"/> was committed alone and may have reopened the connection.</summary>
    public override void Dispose()
    {
        base.Dispose();
        _rows?.Dispose();
        _rows = null;
    }

    private sealed class PendingWrite(string callSid, bool createIfMissing, Action<Call> change, CancellationToken ct)
    {
        private const int Queued = 0, Taken = 1, Canceled = 2;
        private int _state;
        private CancellationTokenRegistration _cancellation;

        public string CallSid { get; } = callSid;
        public bool CreateIfMissing { get; } = createIfMissing;
        public Action<Call> Change { get; } = change;
        public TaskCompletionSource<Call?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void WithdrawOnCancel() => _cancellation = ct.Register(static state => ((PendingWrite)state!).TryCancel(), this);

        public bool TryTake()
        {
            if (Interlocked.CompareExchange(ref _state, Taken, Queued) != Queued) return false;
            _cancellation.Unregister(); // taken: it commits whatever the request does now
            return true;
        }

        private void TryCancel()
        {
            if (Interlocked.CompareExchange(ref _state, Canceled, Queued) == Queued) Completion.TrySetCanceled(ct);
        }

        /// <summary>Set when the change was refused for going over a storage limit: nothing of this write was stored.</summary>
        public Exception? Refusal { get; set; }

        public void Finish(Call? call)
        {
            if (Refusal is { } refused) Completion.TrySetException(refused);
            else Completion.TrySetResult(call);
        }
        public void Fail(Exception ex) => Completion.TrySetException(ex);
    }
}
