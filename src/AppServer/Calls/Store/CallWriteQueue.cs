using System.Threading.Channels;
using AppServer.Data;
using AppServer.Telemetry;
using Microsoft.Extensions.Options;

namespace AppServer.Calls.Store;

/// <summary>
/// Group commit for call writes. A durable commit pays one fsync (SQLite with <c>synchronous = FULL</c>, PostgreSQL's WAL
/// flush), so one transaction per webhook caps ingest at the disk's fsync rate. Writes are queued here and one writer applies
/// everything waiting (up to <see cref="MaxBatch"/>) in a single transaction: one fsync for the whole group.
/// <para>
/// What each caller sees is unchanged: its task completes only after the transaction holding its write has
/// committed (an acknowledged webhook is durable), each write is a read-modify-write of the current row (one row
/// per CallSid, every parameter merged, status never backwards), and writes to one CallSid apply in arrival order
/// (a batch never holds the same CallSid twice; a second write waits for the next batch and sees the first one's result).
/// If a batch fails, its writes are retried one transaction each, so only the write that fails gets the exception.
/// </para>
/// <para>
/// The group is written by the provider's <see cref="ICallBatchCommitter"/> with prepared statements, not EF Core (whose
/// change tracker cost the single writer several times the rest of the work). Reads elsewhere still go through EF Core.
/// With PostgreSQL every instance has its own queue; the committer's row locks order writes to one call across them.
/// </para>
/// </summary>
/// <para>
/// The single writer is a <see cref="BackgroundService"/> started with the host, so it never runs inside (and keeps
/// the execution context, log scope and trace of) whichever request happened to write first.
/// </para>
/// <para>
/// A database that cannot take writes (<see cref="StorageFaults"/>) fails each write with
/// <see cref="StorageUnavailableException"/> (503 + Retry-After), and no caller waits longer than
/// <see cref="DatabaseOptions.WriteTimeoutSeconds"/> for its commit.
/// </para>
public sealed class CallWriteQueue(ICallBatchCommitter committer, TimeProvider time, CallChangeFeed feed, SqliteWriteGate gate,
    StorageFaults faults, IOptions<DatabaseOptions> options, AppServerMetrics metrics, ILogger<CallWriteQueue> logger)
    : BackgroundService
{
    public const int MaxBatch = 256;

    private readonly TimeSpan _writeTimeout = TimeSpan.FromSeconds(options.Value.WriteTimeoutSeconds);

    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    // Counted here: a single-reader unbounded channel cannot count its items (Reader.Count throws NotSupportedException).
    private int _queued;
    private int _deferred;

    /// <summary>Writes waiting for a batch: still queued, or held back behind an earlier write to the same call.</summary>
    public int Depth => Volatile.Read(ref _queued) + Volatile.Read(ref _deferred);

    /// <summary>Applies <paramref name="change"/> to the call (created when missing and allowed); null when the call is unknown.</summary>
    /// <remarks>Not an async method on purpose: every webhook passes here, and the task handed back is the write's own.</remarks>
    public Task<Call?> WriteAsync(string callSid, bool createIfMissing, Action<Call> change, CancellationToken ct)
    {
        if (ct.IsCancellationRequested) return Task.FromCanceled<Call?>(ct);
        var write = new PendingWrite(callSid, createIfMissing, change, ct);
        // Until the writer takes it, a canceled request withdraws its write; once taken, it commits regardless.
        write.WithdrawOnCancel();
        // Counted before it is written: the writer may take (and uncount) it at once.
        Interlocked.Increment(ref _queued);
        if (_queue.Writer.TryWrite(write)) return Bounded(write.Completion.Task);
        Interlocked.Decrement(ref _queued);
        // Shutting down: nobody drains the queue any more, so write this one alone.
        return write.TryTake() ? WriteAloneAsync(write, ct) : write.Completion.Task;
    }

    /// <summary>
    /// The write's own task, given up on after the write timeout (a lock held elsewhere, a stalled disk). The write may
    /// still commit later; that is harmless, since the platform sends the refused webhook again and writes merge.
    /// </summary>
    private Task<Call?> Bounded(Task<Call?> write) => write.IsCompleted ? write : BoundedAsync(write);

    private async Task<Call?> BoundedAsync(Task<Call?> write)
    {
        try
        {
            return await write.WaitAsync(_writeTimeout, time);
        }
        catch (TimeoutException timeout)
        {
            throw faults.Failed(new TimeoutException(
                $"a write was not committed within {DatabaseOptions.Section}:WriteTimeoutSeconds ({_writeTimeout.TotalSeconds} s)",
                timeout));
        }
    }

    private async Task<Call?> WriteAloneAsync(PendingWrite write, CancellationToken ct)
    {
        await using (await gate.EnterAsync(ct))
        {
            var call = (await CommitAsync([write]))[0];
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
                Interlocked.Decrement(ref _queued);
                if (!next.TryTake()) continue; // canceled while queued
                if (callSids.Add(next.CallSid)) batch.Add(next);
                else stillDeferred.Add(next);
            }
            (deferred, stillDeferred) = (stillDeferred, deferred);
            Volatile.Write(ref _deferred, deferred.Count);
            if (batch.Count == 0) continue;
            metrics.CallWriteBatch(batch.Count);
            await WriteBatchAsync(batch);
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
                    results = await CommitAsync(batch);
                }
                catch (Exception ex) when (StorageFaults.IsStorageFault(ex))
                {
                    // The database, not one write, is at fault: each would fail alone too.
                    var unavailable = faults.Failed(ex);
                    foreach (var write in batch) write.Fail(unavailable);
                    return;
                }
                catch (Exception ex) when (batch.Count > 1)
                {
                    // Something in the group failed and the whole transaction rolled back: redo each write alone.
                    logger.LogWarning(ex, "Group commit of {Count} call writes failed; retrying them one by one", batch.Count);
                    foreach (var write in batch)
                    {
                        try
                        {
                            write.Finish((await CommitAsync([write]))[0]);
                            faults.Succeeded();
                        }
                        catch (Exception single)
                        {
                            write.Fail(StorageFaults.IsStorageFault(single) ? faults.Failed(single) : single);
                        }
                    }
                    return;
                }
                faults.Succeeded();
                for (var i = 0; i < batch.Count; i++) batch[i].Finish(results[i]);
            }
        }
        catch (Exception ex)
        {
            var failure = StorageFaults.IsStorageFault(ex) ? faults.Failed(ex) : ex;
            foreach (var write in batch) write.Fail(failure);
        }
    }

    /// <summary>
    /// One transaction for the batch (the caller holds the gate); once it committed, this process's consoles hear of each call
    /// (the committer told the other instances', with the commit).
    /// </summary>
    private async ValueTask<Call?[]> CommitAsync(IReadOnlyList<PendingWrite> batch)
    {
        var results = await committer.CommitAsync(batch, time.GetUtcNow());
        foreach (var call in results)
            if (call is not null) feed.PublishLocal(call.CallSid);
        return results;
    }

    /// <summary>Stops taking writes and finishes the ones already queued.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
        await using (await gate.EnterAsync(CancellationToken.None))
            committer.Close();
    }

    /// <summary>A write that arrived after <see cref="StopAsync"/> was committed alone and may have reopened the connection.</summary>
    public override void Dispose()
    {
        base.Dispose();
        committer.Close();
    }

    private sealed class PendingWrite(string callSid, bool createIfMissing, Action<Call> change, CancellationToken ct) : ICallWrite
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
