using AppServer.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AppServer.Calls.Store;

/// <summary>
/// Reads and writes calls. Every write is one read-modify-write inside a write transaction (see <see cref="CallWriteQueue"/>),
/// so a webhook delivered twice, concurrently or out of order still ends as one row with every parameter.
/// </summary>
public sealed class CallStore(AppDbContext db, TimeProvider time, CallWriteQueue writes, IOptionsMonitor<StorageLimits> limits)
{
    public Task<Call?> FindAsync(string callSid, CancellationToken ct) =>
        db.Calls.AsNoTracking().FirstOrDefaultAsync(c => c.CallSid == callSid, ct);

    /// <summary>The stored calls among <paramref name="callSids"/>, in one query (unknown ones are left out).</summary>
    public async Task<IReadOnlyList<Call>> FindManyAsync(IReadOnlyCollection<string> callSids, CancellationToken ct) =>
        await db.Calls.AsNoTracking().Where(c => callSids.Contains(c.CallSid)).ToListAsync(ct);

    public async Task<IReadOnlyList<Call>> ListAsync(int limit, string? status, CancellationToken ct)
    {
        var query = db.Calls.AsNoTracking();
        if (!string.IsNullOrEmpty(status)) query = query.Where(c => c.CallStatus == status);
        return await query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.CallSid).Take(limit).ToListAsync(ct);
    }

    /// <summary>The legs serving the given customers' calls (dialled for them, or created by actions), oldest first.</summary>
    public async Task<IReadOnlyList<Call>> LegsOfAsync(IReadOnlyCollection<string> customerCallSids, CancellationToken ct) =>
        await db.Calls.AsNoTracking().Where(c => c.CustomerCallSid != null && customerCallSids.Contains(c.CustomerCallSid))
            .OrderBy(c => c.CreatedAt).ToListAsync(ct);

    /// <summary>Live legs in a room (every room when <paramref name="room"/> is null), in the order they joined.</summary>
    public async Task<IReadOnlyList<Call>> InRoomsAsync(string? room, CancellationToken ct)
    {
        var query = db.Calls.AsNoTracking().Where(c => c.Room != null && c.EndedAt == null);
        if (room is not null) query = query.Where(c => c.Room == room);
        return await query.OrderBy(c => c.JoinedRoomAt).ToListAsync(ct);
    }

    /// <summary>Live legs in any of <paramref name="rooms"/>.</summary>
    public async Task<IReadOnlyList<Call>> InAnyRoomAsync(IReadOnlyCollection<string> rooms, CancellationToken ct) =>
        await db.Calls.AsNoTracking().Where(c => c.Room != null && c.EndedAt == null && rooms.Contains(c.Room)).ToListAsync(ct);

    /// <summary>Calls not known to have ended, oldest first (for reconciliation with the platform).</summary>
    public async Task<IReadOnlyList<Call>> BelievedLiveAsync(int limit, CancellationToken ct) =>
        await db.Calls.AsNoTracking().Where(c => c.EndedAt == null).OrderBy(c => c.CreatedAt).Take(limit).ToListAsync(ct);

    /// <summary>Inserts or updates the call a webhook speaks of, merging its parameters.</summary>
    public Task<Call> RecordWebhookAsync(WebhookCallData data, Action<Call>? alsoChange, CancellationToken ct) =>
        // Never null: the call is created when missing.
        UpdateAsync(data.CallSid, createIfMissing: true, call =>
        {
            data.ApplyTo(call, time.GetUtcNow());
            alsoChange?.Invoke(call);
            CheckLimits(call, limits.CurrentValue);
        }, ct)!;

    /// <summary>All webhooks about one call together stay within <see cref="StorageLimits"/>, or this one is refused.</summary>
    private static void CheckLimits(Call call, StorageLimits limits)
    {
        if (call.Parameters.Count > limits.MaxParametersPerCall)
            throw new StorageLimitExceededException("AppServer:Limits:MaxParametersPerCall",
                $"Call {call.CallSid} would hold {call.Parameters.Count} parameters, over AppServer:Limits:MaxParametersPerCall "
                + $"({limits.MaxParametersPerCall}); nothing of this webhook was stored.");
        var length = 0;
        foreach (var (name, value) in call.Parameters) length += name.Length + value.Length;
        if (length > limits.MaxCallParametersLength)
            throw new StorageLimitExceededException("AppServer:Limits:MaxCallParametersLength",
                $"Call {call.CallSid} would hold {length} characters of parameters, over AppServer:Limits:MaxCallParametersLength "
                + $"({limits.MaxCallParametersLength}); nothing of this webhook was stored.");
    }

    /// <summary>
    /// Records a final status the platform confirmed, by the same rule as its own status callbacks (a call that already
    /// ended keeps its first final status; a later callback cannot overwrite this one either). The call is not created.
    /// </summary>
    public Task<Call?> MarkEndedAsync(string callSid, string status, CancellationToken ct)
    {
        var ended = new WebhookCallData(callSid, new Dictionary<string, string>(StringComparer.Ordinal) { ["CallStatus"] = status });
        return UpdateAsync(callSid, c => ended.ApplyTo(c, time.GetUtcNow()), ct);
    }

    /// <summary>Applies a change to an existing call; returns null when the call is unknown.</summary>
    public Task<Call?> UpdateAsync(string callSid, Action<Call> change, CancellationToken ct) =>
        UpdateAsync(callSid, createIfMissing: false, change, ct);

    // Writes go through the group-commit queue: each is still one read-modify-write of the current row, committed
    // (synchronous = FULL) before this returns; concurrent webhooks just share a transaction and its fsync.
    private Task<Call?> UpdateAsync(string callSid, bool createIfMissing, Action<Call> change, CancellationToken ct) =>
        writes.WriteAsync(callSid, createIfMissing, change, ct);
}
