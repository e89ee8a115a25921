namespace AppServer.Calls.Store;

/// <summary>
/// SQLite has one writer at a time. Queuing this process's writers here, instead of letting each
/// spin on SQLITE_BUSY, keeps latency flat under bursts; the busy timeout still covers other processes.
/// </summary>
public sealed class SqliteWriteGate
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    public async ValueTask<IAsyncDisposable> EnterAsync(CancellationToken ct)
    {
        await _semaphore.WaitAsync(ct);
        return new Releaser(_semaphore);
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IAsyncDisposable
    {
        private int _released;
        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
            return ValueTask.CompletedTask;
        }
    }
}
