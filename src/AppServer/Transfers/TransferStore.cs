using AppServer.CallApi;
using AppServer.Calls;
using AppServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AppServer.Transfers;

/// <summary>What an agent asks for, before anything is stored.</summary>
public sealed record TransferStart(
    string? CallSid, string Mode, string? Target, string? Room, bool MoveConnectedCallLeg,
    string? IdempotencyKey, string? RequestFingerprint,
    /// <summary>When set, the call must be stored and live; a non-null answer is a 409 reason.</summary>
    Func<Call, string?>? Precondition = null,
    bool RequiresLiveCall = true);

public enum BeginOutcome { Started, Replay, KeyReusedWithOtherRequest, CallNotFound, CallEnded, Busy, PreconditionFailed }

public sealed record BeginResult(BeginOutcome Outcome, Transfer? Transfer = null, Call? Call = null, string? Detail = null);

/// <summary>
/// Transfers and their request log. <see cref="BeginAsync"/> is one write transaction: idempotency lookup,
/// call checks, "no other pending transfer of this call" and the insert, so two racing transfers cannot both start.
/// </summary>
public sealed class TransferStore(AppDbContext db, SqliteWriteGate gate, TimeProvider time, IOptionsMonitor<CallApiOptions> callApiOptions,
    CallChangeFeed feed)
{
    /// <summary>
    /// The most CallAPI requests one action makes: a conference's modification of the caller (retried once after a
    /// dropped connection), the agent call-back and an invite. A hang-up makes at most three (read, modify, retry).
    /// </summary>
    public const int MaxCallApiRequestsPerTransfer = 4;

    /// <summary>Added to the requests' time for the database writes in between (which may wait for other writers).</summary>
    public static readonly TimeSpan PendingMargin = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A pending transfer older than this is assumed abandoned (process died mid-request) and no longer blocks the call.
    /// Longer than the longest legitimate one: every request taking the full <c>CallApi:TimeoutSeconds</c>, plus a margin.
    /// </summary>
    public static TimeSpan PendingBlocksFor(int timeoutSeconds) =>
        TimeSpan.FromSeconds(timeoutSeconds) * MaxCallApiRequestsPerTransfer + PendingMargin;

    public async Task<BeginResult> BeginAsync(TransferStart start, CancellationToken ct)
    {
        await using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            try
            {
                var result = await CheckAndInsertAsync(start, ct);
                if (result.Outcome == BeginOutcome.Started)
                {
                    await transaction.CommitAsync(ct);
                    PublishChange(start.CallSid);
                }
                return result;
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<BeginResult> CheckAndInsertAsync(TransferStart start, CancellationToken ct)
    {
        if (start.IdempotencyKey is not null)
        {
            var earlier = await db.Transfers.AsNoTracking().Include(t => t.Requests)
                .FirstOrDefaultAsync(t => t.IdempotencyKey == start.IdempotencyKey, ct);
            if (earlier is not null)
                return earlier.RequestFingerprint == start.RequestFingerprint
                    ? new BeginResult(BeginOutcome.Replay, earlier)
                    : new BeginResult(BeginOutcome.KeyReusedWithOtherRequest, earlier);
        }

        Call? call = null;
        if (start.CallSid is not null)
            call = await db.Calls.AsNoTracking().FirstOrDefaultAsync(c => c.CallSid == start.CallSid, ct);
        if (start.RequiresLiveCall)
        {
            if (call is null) return new BeginResult(BeginOutcome.CallNotFound);
            if (call.IsEnded) return new BeginResult(BeginOutcome.CallEnded, Call: call);
            if (start.Precondition?.Invoke(call) is { } reason) return new BeginResult(BeginOutcome.PreconditionFailed, Call: call, Detail: reason);
        }

        var now = time.GetUtcNow();
        if (TransferModes.IsExclusivePerCall(start.Mode) && start.CallSid is not null)
        {
            var cutoff = now - PendingBlocksFor(callApiOptions.CurrentValue.TimeoutSeconds);
            var pending = await db.Transfers.AsNoTracking()
                .Where(t => t.CallSid == start.CallSid && t.State == TransferStates.Pending
                            && (t.Mode == TransferModes.Cold || t.Mode == TransferModes.Conference || t.Mode == TransferModes.Mute)
                            && t.CreatedAt > cutoff)
                .Select(t => new { t.Id, t.Mode }).FirstOrDefaultAsync(ct);
            if (pending is not null)
                return new BeginResult(BeginOutcome.Busy, Call: call,
                    Detail: $"{(pending.Mode == TransferModes.Mute ? "Mute" : "Transfer")} {pending.Id} of call {start.CallSid} is still in progress; retry when it has finished.");
        }

        var transfer = new Transfer
        {
            Id = TransferRules.NewTransferId(),
            CallSid = start.CallSid,
            Mode = start.Mode,
            Target = start.Target,
            Room = start.Room,
            MoveConnectedCallLeg = start.MoveConnectedCallLeg,
            IdempotencyKey = start.IdempotencyKey,
            RequestFingerprint = start.RequestFingerprint,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Transfers.Add(transfer);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (start.IdempotencyKey is not null)
        {
            // Another process inserted the same key first (the gate only orders this process).
            return new BeginResult(BeginOutcome.Busy, Detail: "A request with this Idempotency-Key is being processed.");
        }
        return new BeginResult(BeginOutcome.Started, transfer, call);
    }

    /// <summary>Appends CallAPI exchanges to the transfer's request log, in order.</summary>
    public async Task AppendRequestsAsync(string transferId, IReadOnlyList<CallApiExchange> exchanges, CancellationToken ct)
    {
        if (exchanges.Count == 0) return;
        await using (await gate.EnterAsync(ct))
        {
            db.ChangeTracker.Clear(); // see FinishAsync
            var next = await db.Set<CallApiRequestRecord>().Where(r => r.TransferId == transferId)
                .Select(r => (int?)r.Sequence).MaxAsync(ct) ?? 0;
            foreach (var e in exchanges)
                db.Add(new CallApiRequestRecord
                {
                    TransferId = transferId,
                    Sequence = ++next,
                    StartedAt = e.StartedAt,
                    Method = e.Method,
                    Path = e.Path,
                    Form = e.Form.GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal),
                    ResponseStatus = e.ResponseStatus,
                    ResponseBody = e.ResponseBody,
                    DurationMs = Math.Round(e.Duration.TotalMilliseconds, 1),
                    Outcome = e.Outcome,
                });
            var transfer = await db.Transfers.FirstAsync(t => t.Id == transferId, ct);
            transfer.PlatformStatus = exchanges[^1].ResponseStatus;
            transfer.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            PublishChange(transfer.CallSid);
        }
    }

    /// <summary>Records the final state and what the agent was answered (replayed for a repeated Idempotency-Key).</summary>
    public async Task<Transfer> FinishAsync(string transferId, string state, int answerStatus, string? answerTitle, string? answerDetail,
        string? failureReason, IReadOnlyList<string> createdCallSids, CancellationToken ct)
    {
        await using (await gate.EnterAsync(ct))
        {
            // The context is shared with the rest of the request: a write that failed before (the reason a transfer may be
            // finished as failed) can have left entities tracked, and they must not be saved again with this one.
            db.ChangeTracker.Clear();
            var transfer = await db.Transfers.FirstAsync(t => t.Id == transferId, ct);
            transfer.State = state;
            transfer.AnswerStatus = answerStatus;
            transfer.AnswerTitle = answerTitle;
            transfer.AnswerDetail = answerDetail;
            transfer.FailureReason = failureReason;
            transfer.CreatedCallSids = createdCallSids.ToList();
            transfer.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            PublishChange(transfer.CallSid);
        }
        return (await FindAsync(transferId, ct))!;
    }

    /// <summary>After a committed write: the console's event stream shows the call's transfers changing (pending → completed/failed).</summary>
    private void PublishChange(string? callSid)
    {
        if (callSid is not null) feed.Publish(callSid);
    }

    public Task<Transfer?> FindAsync(string id, CancellationToken ct) =>
        db.Transfers.AsNoTracking().Include(t => t.Requests).FirstOrDefaultAsync(t => t.Id == id, ct);

    /// <summary>Every action on the given calls, oldest first.</summary>
    public async Task<ILookup<string, Transfer>> ForCallsAsync(IReadOnlyCollection<string> callSids, CancellationToken ct)
    {
        var transfers = await db.Transfers.AsNoTracking().Include(t => t.Requests)
            .Where(t => t.CallSid != null && callSids.Contains(t.CallSid))
            .OrderBy(t => t.CreatedAt).ToListAsync(ct);
        return transfers.ToLookup(t => t.CallSid!);
    }

    /// <summary>Whether a cold or conference transfer of the call succeeded: the platform then runs our Dial RCML for it.</summary>
    public Task<bool> WasMovedAsync(string callSid, CancellationToken ct) =>
        db.Transfers.AsNoTracking().AnyAsync(t => t.CallSid == callSid && t.State == TransferStates.Completed
            && (t.Mode == TransferModes.Cold || t.Mode == TransferModes.Conference), ct);

    /// <summary>The call whose conference transfer opened the room, if this server opened it.</summary>
    public Task<string?> RoomOriginAsync(string room, CancellationToken ct) =>
        db.Transfers.AsNoTracking()
            .Where(t => t.Room == room && t.Mode == TransferModes.Conference && t.CallSid != null)
            .OrderBy(t => t.CreatedAt).Select(t => t.CallSid).FirstOrDefaultAsync(ct);
}
