namespace CallApi.Emulator.Activity;

/// <summary>
/// Counts automatic work in flight (RCML runners, pending moves, ring timers, callbacks) so tests can wait until the
/// emulator has nothing left to do on its own. A call waiting for a person (bridged, in a conference, on looping
/// music, ringing a manual party) is not work: the emulator is idle then.
/// </summary>
public sealed class ActivityTracker
{
    private readonly Lock _gate = new();
    private int _busy;
    private TaskCompletionSource _idle = NewCompleted();

    public int Busy
    {
        get { lock (_gate) { return _busy; } }
    }

    public void Enter()
    {
        lock (_gate)
        {
            if (_busy++ == 0)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Exit()
    {
        lock (_gate)
        {
            if (--_busy == 0)
            {
                _idle.TrySetResult();
            }
        }
    }

    /// <summary>True when idle within the timeout, false when work was still running.</summary>
    public async Task<bool> WaitForIdleAsync(TimeSpan timeout, CancellationToken ct = default)
    {
        Task idle;
        lock (_gate)
        {
            idle = _idle.Task;
        }
        try
        {
            await idle.WaitAsync(timeout, ct);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private static TaskCompletionSource NewCompleted()
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tcs.SetResult();
        return tcs;
    }
}
