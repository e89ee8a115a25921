using AppServer.Data;
using Microsoft.Data.Sqlite;

namespace AppServer.Calls.Store;

/// <summary>
/// SQLite's committer: one <c>BEGIN IMMEDIATE … COMMIT</c> per batch with the prepared statements of <see cref="CallRowWriter"/>
/// on the writer's own long-lived connection. Synchronous on purpose: SQLite's API is, and only the single writer runs it,
/// inside <see cref="SqliteWriteGate"/>.
/// </summary>
internal sealed class SqliteCallBatchCommitter(IServiceScopeFactory scopes, SqlitePragmas pragmas) : ICallBatchCommitter
{
    private CallRowWriter? _rows;

    public ValueTask<Call?[]> CommitAsync(IReadOnlyList<ICallWrite> batch, DateTimeOffset now) => ValueTask.FromResult(Commit(batch, now));

    /// <summary>Read the rows of the batch in one query, apply each change, insert or update, commit.</summary>
    private Call?[] Commit(IReadOnlyList<ICallWrite> batch, DateTimeOffset now)
    {
        var rows = _rows ??= OpenRows();
        try
        {
            using var transaction = rows.Begin();
            var existing = rows.Read(transaction, batch.Select(w => w.CallSid));
            var results = new Call?[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var write = batch[i];
                var isNew = !existing.TryGetValue(write.CallSid, out var stored);
                var call = CallBatch.Apply(write, stored, now, out var originalVersion);
                if (call is null) continue;
                if (isNew) rows.Insert(call);
                else rows.Update(call, originalVersion);
                results[i] = call;
            }
            transaction.Commit();
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
        return CallRowWriter.Open(scope.ServiceProvider.GetRequiredService<AppDbContext>(), pragmas);
    }

    public void Close()
    {
        _rows?.Dispose();
        _rows = null;
    }

    public void Dispose() => Close();
}
