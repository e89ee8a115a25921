namespace CallApi.Emulator.Activity;

/// <summary>
/// Wakes a runner that waits for a person (a bridged call, a conference) without ever leaving a gap in which
/// the emulator looks idle: whoever fires it enters the tracker on the sleeper's behalf before waking it.
/// Exactly one of <see cref="Fire"/> and the sleeper's own give-up wins.
/// </summary>
public sealed class Wakeup<T>(ActivityTracker tracker)
{
    private readonly TaskCompletionSource<T> _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool Fire(T value)
    {
        tracker.Enter();
        if (_tcs.TrySetResult(value))
        {
            return true;
        }
        tracker.Exit();
        return false;
    }

    /// <summary>
    /// Waits while not counting as busy. Returns (true, value) when fired, (false, default) on timeout;
    /// throws when canceled. On every path the caller is counted as busy again afterwards.
    /// </summary>
    public async Task<(bool Fired, T? Value)> SleepAsync(TimeSpan timeout, TimeProvider time, CancellationToken ct)
    {
        tracker.Exit();
        try
        {
            return (true, await _tcs.Task.WaitAsync(timeout, time, ct));
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            if (!_tcs.TrySetCanceled())
            {
                // Fired just as we gave up: the firer already counted us busy.
                if (ex is TimeoutException)
                {
                    return (true, _tcs.Task.Result);
                }
                throw;
            }
            // Nobody fired: count ourselves busy again.
            tracker.Enter();
            if (ex is TimeoutException)
            {
                return (false, default);
            }
            throw;
        }
    }
}
