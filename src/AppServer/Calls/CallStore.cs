using AppServer.Data;
using Microsoft.EntityFrameworkCore;

namespace AppServer.Calls;

/// <summary>
/// Reads and writes calls. Every write is one read-modify-write inside a write transaction, so a
/// webhook delivered twice, concurrently or out of order still ends as one row with every parameter.
/// </summary>
public sealed class CallStore(AppDbContext db, TimeProvider time, CallChangeFeed feed, SqliteWriteGate gate)
{
    public Task<Call?> FindAsync(string callSid, CancellationToken ct) =>
        db.Calls.AsNoTracking().FirstOrDefaultAsync(c => c.CallSid == callSid, ct);

    public async Task<IReadOnlyList<Call>> ListAsync(int limit, string? status, CancellationToken ct)
    {
        var query = db.Calls.AsNoTracking();
        if (!string.IsNullOrEmpty(status)) query = query.Where(c => c.CallStatus == status);
        return await query.OrderByDescending(c => c.CreatedAt).ThenBy(c => c.CallSid).Take(limit).ToListAsync(ct);
    }

    /// <summary>Inserts or updates the call a webhook speaks of, merging its parameters.</summary>
    public async Task<Call> RecordWebhookAsync(WebhookCallData data, Action<Call>? alsoChange, CancellationToken ct) =>
        (await UpdateAsync(data.CallSid, createIfMissing: true, call =>
        {
            data.ApplyTo(call, time.GetUtcNow());
            alsoChange?.Invoke(call);
        }, ct))!;

    /// <summary>Applies a change to an existing call; returns null when the call is unknown.</summary>
    public Task<Call?> UpdateAsync(string callSid, Action<Call> change, CancellationToken ct) =>
        UpdateAsync(callSid, createIfMissing: false, change, ct);

    private async Task<Call?> UpdateAsync(string callSid, bool createIfMissing, Action<Call> change, CancellationToken ct)
    {
        await using (await gate.EnterAsync(ct))
        {
            // BEGIN IMMEDIATE (Microsoft.Data.Sqlite's default) takes the write lock before the read.
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var call = await db.Calls.FirstOrDefaultAsync(c => c.CallSid == callSid, ct);
            var now = time.GetUtcNow();
            if (call is null)
            {
                if (!createIfMissing) return null;
                call = new Call { CallSid = callSid, CreatedAt = now };
                db.Calls.Add(call);
            }
            change(call);
            call.UpdatedAt = now;
            call.Version++;
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            db.ChangeTracker.Clear();
            feed.Publish(callSid);
            return call;
        }
    }
}
