using System.Data.Common;
using System.Runtime.CompilerServices;
using AppServer.Calls;
using AppServer.Transfers;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace AppServer.AgentConsole;

/// <summary>
/// Publishes the CallSid of every saved transfer to <see cref="CallChangeFeed"/>, so the console's event
/// stream shows a transfer going pending → completed/failed. <see cref="CallStore"/> publishes call writes
/// itself; transfers are written by <see cref="TransferStore"/>, which knows nothing about the feed, and an
/// interceptor keeps it that way. Inside a transaction the publish waits for the commit: a subscriber
/// reading the database on another connection would not see uncommitted rows yet.
/// </summary>
public sealed class TransferChangePublisher(CallChangeFeed feed) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    private readonly ConditionalWeakTable<DbContext, HashSet<string>> _unpublished = new();

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Collect(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Collect(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        PublishUnlessInTransaction(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        PublishUnlessInTransaction(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Forget(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Publish(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Publish(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void Collect(DbContext? context)
    {
        if (context is null) return;
        var callSids = context.ChangeTracker.Entries<Transfer>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified)
            .Select(e => e.Entity.CallSid)
            .OfType<string>()
            .ToList();
        if (callSids.Count == 0) return;
        var pending = _unpublished.GetOrCreateValue(context);
        lock (pending) pending.UnionWith(callSids);
    }

    private void PublishUnlessInTransaction(DbContext? context)
    {
        if (context?.Database.CurrentTransaction is null) Publish(context);
    }

    private void Publish(DbContext? context)
    {
        if (context is null || !_unpublished.TryGetValue(context, out var pending)) return;
        string[] callSids;
        lock (pending)
        {
            callSids = [.. pending];
            pending.Clear();
        }
        foreach (var callSid in callSids) feed.Publish(callSid);
    }

    private void Forget(DbContext? context)
    {
        if (context is not null && _unpublished.TryGetValue(context, out var pending))
            lock (pending) pending.Clear();
    }
}
