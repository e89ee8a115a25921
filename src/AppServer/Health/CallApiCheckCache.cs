using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AppServer.Health;

/// <summary>
/// The last answer of the CallAPI credentials check, reused for <see cref="HealthOptions.CallApiCheckSeconds"/>; concurrent
/// probes wait for one request rather than each sending theirs. A changed CallApi section (a reloaded configuration, a
/// fixed token) is checked again at once.
/// </summary>
public sealed class CallApiCheckCache(TimeProvider time, IOptionsMonitor<HealthOptions> options)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Entry? _last;

    public async Task<HealthCheckResult> GetAsync(string settings, Func<CancellationToken, Task<HealthCheckResult>> check,
        CancellationToken ct)
    {
        if (Fresh(settings) is { } cached) return cached;
        await _gate.WaitAsync(ct);
        try
        {
            if (Fresh(settings) is { } meanwhile) return meanwhile;
            var result = await check(ct); // a cancelled probe throws and leaves nothing cached
            _last = new Entry(settings, time.GetUtcNow() + TimeSpan.FromSeconds(options.CurrentValue.CallApiCheckSeconds), result);
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    private HealthCheckResult? Fresh(string settings) =>
        _last is { } last && last.Settings == settings && time.GetUtcNow() < last.Until ? last.Result : null;

    /// <param name="Settings">What was checked (base URL, account, token): held in memory only, never written anywhere.</param>
    private sealed record Entry(string Settings, DateTimeOffset Until, HealthCheckResult Result);
}
