namespace AppServer.Calls.Store;

/// <summary>
/// SQLite has one writer at a time. Queuing this process's writers here, instead of letting each
/// spin on SQLITE_BUSY, keeps latency flat under bursts; the busy timeout still covers other processes.
/// PostgreSQL has row locks and many writers: there the gate is open (<see cref="Open"/>) and costs nothing.
/// </summary>
public sealed class SqliteWriteGate
{
    private static readonly IAsyncDisposable NothingToRelease = new Releaser(null);
    private readonly SemaphoreSlim? _semaphore;

    public SqliteWriteGate() => _semaphore = new SemaphoreSlim(1, 1);

    private SqliteWriteGate(SemaphoreSlim? semaphore) => _semaphore = semaphore;

    /// <summary>A gate that never waits, for databases that order their own writers.</summary>
    public static SqliteWriteGate Open() => new(semaphore: null);

    public async ValueTask<IAsyncDisposable> EnterAsync(CancellationToken ct)
    {
        if (_semaphore is null) return NothingToRelease;
        await _semaphore.WaitAsync(ct);
        return new Releaser(_semaphore);
    }

    private sealed class Releaser(SemaphoreSlim? semaphore) : IAsyncDisposable
    {
        private int _released;
        public ValueTask DisposeAsync()
        {
            if (semaphore is not null && Interlocked.Exchange(ref _released, 1) == 0) semaphore.Release();
            return ValueTask.CompletedTask;
        }
    }
}
