using AppServer.CallApi;
using AppServer.Calls;
using AppServer.Calls.Store;
using AppServer.Legs;
using Microsoft.Extensions.Options;

namespace AppServer.Reconciliation;

/// <summary>
/// Calls believed live are checked against the platform at start-up and every <c>IntervalSeconds</c>: one the platform no
/// longer knows (404/406) or reports ended is ended here too, with a log line, so nothing stays "live" forever after a
/// lost status callback. Reads are spaced to stay under <c>MaxReadsPerMinute</c>.
/// </summary>
public sealed class CallReconciler(IServiceScopeFactory scopes, IOptionsMonitor<ReconciliationOptions> options, LiveCallReactions reactions,
    TimeProvider time, ILogger<CallReconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var settings = options.CurrentValue;
                if (settings.IntervalSeconds == 0) return;
                await RoundAsync(settings, stoppingToken);
                await Task.Delay(TimeSpan.FromSeconds(settings.IntervalSeconds), time, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
    }

    /// <summary>One pass over the calls believed live. Public for tests and operators' tools; safe to run at any time.</summary>
    public async Task<int> RoundAsync(ReconciliationOptions settings, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var calls = scope.ServiceProvider.GetRequiredService<CallStore>();
        var platform = scope.ServiceProvider.GetRequiredService<LiveCallClient>();
        var spacing = TimeSpan.FromMinutes(1) / settings.MaxReadsPerMinute;
        var ended = 0;
        IReadOnlyList<Call> live;
        try
        {
            live = await calls.BelievedLiveAsync(settings.MaxCallsPerRound, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Reconciliation could not list the calls believed live; next round in {Seconds} s",
                settings.IntervalSeconds);
            return 0;
        }
        foreach (var call in live)
        {
            var started = time.GetTimestamp();
            if (await CheckAsync(calls, platform, call, ct)) ended++;
            var wait = spacing - time.GetElapsedTime(started);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, time, ct);
        }
        if (ended > 0) logger.LogInformation("Reconciliation ended {Ended} of {Checked} calls believed live", ended, live.Count);
        return ended;
    }

    /// <summary>True when the call was ended here because the platform says it is over.</summary>
    private async Task<bool> CheckAsync(CallStore calls, LiveCallClient platform, Call call, CancellationToken ct)
    {
        string status;
        try
        {
            var seen = await platform.ReadCallAsync(call.CallSid, null, ct);
            if (!CallStatuses.IsTerminal(seen.Status)) return false;
            status = seen.Status!;
            logger.LogInformation("Call {CallSid} is {Status} at the platform; ending it here", call.CallSid, status);
        }
        catch (CallApiException e) when (e.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status406NotAcceptable)
        {
            status = CallStatuses.Completed;
            logger.LogInformation("Call {CallSid} is unknown to the platform (HTTP {Status}); ending it here", call.CallSid, e.StatusCode);
        }
        catch (CallApiException e)
        {
            logger.LogDebug("Reconciliation could not read {CallSid}: {Reason}", call.CallSid, e.Message);
            return false;
        }
        var updated = await calls.MarkEndedAsync(call.CallSid, status, ct);
        if (updated is { IsEnded: true, Room: { } room, RoomRole: RoomRoles.Customer }) reactions.CustomerLeft(room, updated.CallSid);
        return true;
    }
}

public static class ReconciliationSetup
{
    public static IServiceCollection AddReconciliation(this IServiceCollection services)
    {
        services.AddOptions<ReconciliationOptions>().BindConfiguration(
            ReconciliationOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CallReconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<CallReconciler>());
        return services;
    }
}
