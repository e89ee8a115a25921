using AppServer.CallApi;
using AppServer.Calls;
using AppServer.Calls.Store;
using AppServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AppServer.Actions;

/// <summary>
/// What <see cref="CallActionStore.BeginAsync"/> decided: the action was recorded (with the call as it was), or an outcome.
/// </summary>
public sealed record ActionStart(CallAction? Action, Call? Call, ActionOutcome? Outcome);

/// <summary>
/// Actions and their request log, each read or write in a short-lived context of its own. <see cref="BeginAsync"/> is
/// one write transaction: idempotency lookup, call checks, the per-call lock and the insert, so two racing actions
/// cannot both start; the lock is a unique column, so that holds for every process sharing the database.
/// </summary>
public sealed class CallActionStore(IDbContextFactory<AppDbContext> contexts, SqliteWriteGate gate, TimeProvider time,
    IOptionsMonitor<CallApiOptions> callApiOptions, CallChangeFeed feed)
{
    /// <summary>
    /// The most CallAPI requests one action makes: a conference's modification of the caller (retried once after a
    /// dropped connection), the agent call-back and an invite. A hang-up makes at most three (read, modify, retry).
    /// </summary>
    public const int MaxCallApiRequestsPerAction = 4;

    /// <summary>Added to the requests' time for the database writes in between (which may wait for other writers).</summary>
    public static readonly TimeSpan PendingMargin = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A pending action older than this is assumed abandoned (its process died mid-request) and no longer holds the call.
    /// Longer than the longest legitimate one: every request taking the full <c>CallApi:TimeoutSeconds</c>, plus a margin.
    /// </summary>
    public static TimeSpan PendingBlocksFor(int timeoutSeconds) =>
        TimeSpan.FromSeconds(timeoutSeconds) * MaxCallApiRequestsPerAction + PendingMargin;

    /// <summary>The earlier answer to this Idempotency-Key, or null when the key is new.</summary>
    public async Task<ActionOutcome?> ReplayAsync(string idempotencyKey, string fingerprint, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await ReplayAsync(db, idempotencyKey, fingerprint, ct);
    }

    public async Task<ActionStart> BeginAsync(ActionRequest request, CancellationToken ct)
    {
        await using (await gate.EnterAsync(ct))
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            ActionStart start;
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                start = await CheckAndInsertAsync(db, request, ct);
                if (start.Action is not null) await transaction.CommitAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another process took the key or the call between our checks and the insert (the unique indexes
                // refused it): answer as if it had been there all along.
                db.ChangeTracker.Clear();
                start = await CheckAndInsertAsync(db, request, ct, insert: false);
                return start.Outcome is not null ? start
                    : new ActionStart(null, null, new ActionOutcome.Rejected(ActionRejection.Conflict,
                        "Another action on this call started at the same moment; retry when it has finished."));
            }
            if (start.Action is not null) Publish(request.CallSid);
            return start;
        }
    }

    private async Task<ActionStart> CheckAndInsertAsync(AppDbContext db, ActionRequest request, CancellationToken ct, bool insert = true)
    {
        if (request.IdempotencyKey is { } key && await ReplayAsync(db, key, request.Fingerprint, ct) is { } replay)
            return new ActionStart(null, null, replay);

        Call? call = null;
        if (request.CallSid is not null)
            call = await db.Calls.AsNoTracking().FirstOrDefaultAsync(c => c.CallSid == request.CallSid, ct);
        if (request.RequiresLiveCall)
        {
            if (call is null) return new ActionStart(null, null, ActionOutcome.NotFound(request.CallSid!));
            if (call.IsEnded) return new ActionStart(null, call, ActionOutcome.NotLive(call));
        }

        var now = time.GetUtcNow();
        var locks = ActionModes.IsExclusivePerCall(request.Mode) && request.CallSid is not null;
        if (locks)
        {
            await ReleaseAbandonedLockAsync(db, request.CallSid!, now, ct);
            var holder = await db.Actions.AsNoTracking().Where(a => a.LockedCallSid == request.CallSid)
                .Select(a => new { a.Id, a.Mode }).FirstOrDefaultAsync(ct);
            if (holder is not null)
                return new ActionStart(null, call, new ActionOutcome.Rejected(ActionRejection.Conflict,
                    $"{(holder.Mode == ActionModes.Mute ? "Mute" : "Transfer")} {holder.Id} of call {request.CallSid} "
                    + "is still in progress; "
                    + "retry when it has finished."));
        }

        if (!insert) return new ActionStart(null, call, null);
        var action = new CallAction
        {
            Id = request.Id,
            CallSid = request.CallSid,
            Mode = request.Mode,
            Target = request.Target,
            Room = request.Room,
            RequestedBy = request.RequestedBy,
            MoveConnectedCallLeg = request.MoveConnectedCallLeg,
            LockedCallSid = locks ? request.CallSid : null,
            AgentCallSid = request.AgentCallSid,
            IdempotencyKey = request.IdempotencyKey,
            RequestFingerprint = request.IdempotencyKey is null ? null : request.Fingerprint,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Actions.Add(action);
        await db.SaveChangesAsync(ct);
        return new ActionStart(action, call, null);
    }

    /// <summary>A pending action past <see cref="PendingBlocksFor"/> was abandoned by a stopped process: it fails and lets go.</summary>
    private async Task ReleaseAbandonedLockAsync(AppDbContext db, string callSid, DateTimeOffset now, CancellationToken ct)
    {
        var cutoff = now - PendingBlocksFor(callApiOptions.CurrentValue.TimeoutSeconds);
        await db.Actions.Where(a => a.LockedCallSid == callSid && a.CreatedAt < cutoff).ExecuteUpdateAsync(set => set
            .SetProperty(a => a.State, ActionStates.Failed)
            .SetProperty(a => a.LockedCallSid, (string?)null)
            .SetProperty(a => a.FailureKind, nameof(ActionFailure.Abandoned))
            .SetProperty(a => a.FailureDetail, "This action never finished (the process handling it stopped); see its CallAPI requests.")
            .SetProperty(a => a.FailureReason, "Left pending by a stopped process.")
            .SetProperty(a => a.UpdatedAt, now), ct);
    }

    /// <summary>
    /// Actions a stopped process left pending, finished as failed (abandoned) so they hold their call no longer: on an
    /// embedded SQLite file every pending action older than <paramref name="startedAt"/> (no other process shares it);
    /// on a shared server only those past <see cref="PendingBlocksFor"/>, since another instance may still be running
    /// them. Answers what was resolved.
    /// </summary>
    public async Task<IReadOnlyList<CallAction>> ResolveAbandonedAsync(DateTimeOffset startedAt, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using (await gate.EnterAsync(ct))
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var cutoff = db.Database.IsSqlite() ? startedAt : now - PendingBlocksFor(callApiOptions.CurrentValue.TimeoutSeconds);
            var orphans = await db.Actions.AsNoTracking().Include(a => a.Requests)
                .Where(a => a.State == ActionStates.Pending && a.CreatedAt < cutoff).ToListAsync(ct);
            foreach (var orphan in orphans)
            {
                var sent = orphan.Requests.Count;
                var detail = sent == 0
                    ? "This action never reached the platform: the process handling it stopped first. Nothing was changed."
                    : $"The process handling this action stopped after {sent} CallAPI request(s); the platform may have acted on them "
                      + $"(see GET /transfers/{orphan.Id}).";
                await db.Actions.Where(a => a.Id == orphan.Id && a.State == ActionStates.Pending).ExecuteUpdateAsync(set => set
                    .SetProperty(a => a.State, ActionStates.Failed)
                    .SetProperty(a => a.LockedCallSid, (string?)null)
                    .SetProperty(a => a.FailureKind, nameof(ActionFailure.Abandoned))
                    .SetProperty(a => a.FailureDetail, detail)
                    .SetProperty(a => a.FailureReason, "Left pending by a stopped process; resolved at start-up.")
                    .SetProperty(a => a.UpdatedAt, now), ct);
            }
            foreach (var orphan in orphans) Publish(orphan.CallSid);
            return orphans;
        }
    }

    private static async Task<ActionOutcome?> ReplayAsync(AppDbContext db, string key, string fingerprint, CancellationToken ct)
    {
        var earlier = await db.Actions.AsNoTracking().Include(a => a.Requests).FirstOrDefaultAsync(a => a.IdempotencyKey == key, ct);
        if (earlier is null) return null;
        if (earlier.RequestFingerprint != fingerprint)
            return new ActionOutcome.Rejected(ActionRejection.KeyReused,
                $"Idempotency-Key was first used for another request (transfer {earlier.Id}); use a new key for a new request.", earlier);
        return earlier.State switch
        {
            ActionStates.Pending => new ActionOutcome.Rejected(ActionRejection.StillPending,
                $"The request with this Idempotency-Key (transfer {earlier.Id}) is still in progress.", earlier),
            ActionStates.Failed when Enum.TryParse<ActionFailure>(earlier.FailureKind, out var failure) =>
                new ActionOutcome.Failed(failure,
                    earlier.FailureDetail ?? earlier.FailureReason ?? "The first request with this Idempotency-Key failed.", earlier),
            _ => new ActionOutcome.Completed(earlier),
        };
    }

    /// <summary>Appends CallAPI exchanges to the action's request log; <paramref name="firstSequence"/> numbers the first.</summary>
    public async Task AppendRequestsAsync(string actionId, int firstSequence, IReadOnlyList<CallApiExchange> exchanges,
        CancellationToken ct)
    {
        if (exchanges.Count == 0) return;
        var now = time.GetUtcNow();
        await using (await gate.EnterAsync(ct))
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var sequence = firstSequence;
            db.AddRange(exchanges.Select(e => new CallApiRequestRecord
            {
                ActionId = actionId,
                Sequence = sequence++,
                StartedAt = e.StartedAt,
                Method = e.Method,
                Path = e.Path,
                Form = e.Form.GroupBy(f => f.Key).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal),
                ResponseStatus = e.ResponseStatus,
                ResponseBody = e.ResponseBody,
                DurationMs = Math.Round(e.Duration.TotalMilliseconds, 1),
                Outcome = e.Outcome,
            }));
            await db.SaveChangesAsync(ct);
            var platformStatus = exchanges[^1].ResponseStatus;
            await db.Actions.Where(a => a.Id == actionId).ExecuteUpdateAsync(set => set
                .SetProperty(a => a.PlatformStatus, platformStatus)
                .SetProperty(a => a.UpdatedAt, now), ct);
            await transaction.CommitAsync(ct);
        }
    }

    /// <summary>Records how the action ended and lets go of its call; answers the stored action with its requests.</summary>
    public async Task<CallAction> FinishAsync(string actionId, string mode, string successState, string? callSid, ActionFailure? failure,
        string? detail, string? reason,
        IReadOnlyList<string> createdCallSids, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var created = createdCallSids.ToList();
        // The platform took it: the target's answer is awaited (unless the Dial's progress already told, which can come first).
        var accepted = failure is null && ActionModes.TracksOutcome(mode) ? ActionOutcomes.Accepted : null;
        // A warm transfer's target is the call it created.
        var target = ActionModes.TracksOutcome(mode) ? created.FirstOrDefault() : null;
        await using (await gate.EnterAsync(ct))
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await db.Actions.Where(a => a.Id == actionId).ExecuteUpdateAsync(set => set
                .SetProperty(a => a.Outcome, a => a.Outcome ?? accepted)
                .SetProperty(a => a.State, failure is null ? successState : ActionStates.Failed)
                .SetProperty(a => a.TargetCallSid, a => a.TargetCallSid ?? target)
                .SetProperty(a => a.LockedCallSid, (string?)null)
                .SetProperty(a => a.FailureKind, failure.HasValue ? failure.Value.ToString() : null)
                .SetProperty(a => a.FailureDetail, detail)
                .SetProperty(a => a.FailureReason, reason)
                .SetProperty(a => a.CreatedCallSids, created)
                .SetProperty(a => a.UpdatedAt, now), ct);
        }
        Publish(callSid);
        return (await FindAsync(actionId, ct))!;
    }

    /// <summary>
    /// The target's leg answered (<see cref="ActionOutcomes.Connected"/>) or the Dial ended without it
    /// (<see cref="ActionOutcomes.NotConnected"/> with the Dial's status). Decided once: a later report does not change it,
    /// except that a not-connected outcome learns its status when the first report had none.
    /// </summary>
    public async Task RecordOutcomeAsync(string actionId, string outcome, string? detail, string? targetCallSid, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        string? callSid;
        await using (await gate.EnterAsync(ct))
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var decided = await db.Actions
                .Where(a => a.Id == actionId && a.State != ActionStates.Failed
                            && (a.Outcome == null || a.Outcome == ActionOutcomes.Accepted))
                .ExecuteUpdateAsync(set => set
                    .SetProperty(a => a.Outcome, outcome)
                    .SetProperty(a => a.OutcomeDetail, detail)
                    .SetProperty(a => a.TargetCallSid, a => a.TargetCallSid ?? targetCallSid)
                    .SetProperty(a => a.UpdatedAt, now), ct);
            if (decided == 0 && outcome == ActionOutcomes.NotConnected && detail is not null)
                decided = await db.Actions
                    .Where(a => a.Id == actionId && a.Outcome == ActionOutcomes.NotConnected && a.OutcomeDetail == null)
                    .ExecuteUpdateAsync(set => set.SetProperty(a => a.OutcomeDetail, detail).SetProperty(a => a.UpdatedAt, now), ct);
            if (decided == 0) return;
            callSid = await db.Actions.Where(a => a.Id == actionId).Select(a => a.CallSid).FirstOrDefaultAsync(ct);
        }
        Publish(callSid);
    }

    /// <summary>
    /// Moves a warm transfer on: consulting → completed or canceled (with why). Only from consulting, so a transfer already
    /// completed or canceled stays so; answers whether it moved.
    /// </summary>
    public async Task<bool> SetStateAsync(string actionId, string state, string? reason, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        string? callSid;
        await using (await gate.EnterAsync(ct))
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var moved = await db.Actions.Where(a => a.Id == actionId && a.State == ActionStates.Consulting).ExecuteUpdateAsync(set => set
                .SetProperty(a => a.State, state)
                .SetProperty(a => a.FailureReason, a => reason ?? a.FailureReason)
                .SetProperty(a => a.UpdatedAt, now), ct);
            if (moved == 0) return false;
            callSid = await db.Actions.Where(a => a.Id == actionId).Select(a => a.CallSid).FirstOrDefaultAsync(ct);
        }
        Publish(callSid);
        return true;
    }

    /// <summary>The warm transfer of this call still consulting, if there is one.</summary>
    public async Task<CallAction?> ConsultingOfAsync(string callSid, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Actions.AsNoTracking()
            .FirstOrDefaultAsync(a => a.CallSid == callSid && a.Mode == ActionModes.Warm && a.State == ActionStates.Consulting, ct);
    }

    /// <summary>After a committed write: the console's event stream shows the call's actions changing.</summary>
    private void Publish(string? callSid)
    {
        if (callSid is not null) feed.Publish(callSid);
    }

    public async Task<CallAction?> FindAsync(string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Actions.AsNoTracking().Include(a => a.Requests).FirstOrDefaultAsync(a => a.Id == id, ct);
    }

    /// <summary>Every action on the given calls, oldest first.</summary>
    public async Task<ILookup<string, CallAction>> ForCallsAsync(IReadOnlyCollection<string> callSids, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var actions = await db.Actions.AsNoTracking().Include(a => a.Requests)
            .Where(a => a.CallSid != null && callSids.Contains(a.CallSid))
            .OrderBy(a => a.CreatedAt).ToListAsync(ct);
        return actions.ToLookup(a => a.CallSid!);
    }

    /// <summary>Whether a cold or conference transfer of the call succeeded: the platform then runs our Dial RCML for it.</summary>
    public async Task<bool> WasMovedAsync(string callSid, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Actions.AsNoTracking().AnyAsync(a => a.CallSid == callSid && a.State == ActionStates.Completed
            && (a.Mode == ActionModes.Cold || a.Mode == ActionModes.Conference), ct);
    }

    /// <summary>The calls that actions created to join <paramref name="room"/> (agent call-backs, invited participants).</summary>
    public async Task<IReadOnlyList<string>> CreatedForRoomAsync(string room, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var created = await db.Actions.AsNoTracking().Where(a => a.Room == room && a.State == ActionStates.Completed)
            .Select(a => a.CreatedCallSids).ToListAsync(ct);
        return created.SelectMany(sids => sids).Distinct().ToList();
    }

    /// <summary>The call whose conference transfer opened the room, if this server opened it.</summary>
    public async Task<string?> RoomOriginAsync(string room, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Actions.AsNoTracking()
            .Where(a => a.Room == room && a.Mode == ActionModes.Conference && a.CallSid != null)
            .OrderBy(a => a.CreatedAt).Select(a => a.CallSid).FirstOrDefaultAsync(ct);
    }
}
