using AppServer.CallApi;
using AppServer.Calls;
using AppServer.Calls.Store;

namespace AppServer.Actions;

/// <summary>
/// At start-up, actions a crash left pending are finished as failed, so the next action on their call is not refused
/// with 409 for minutes; each call they touched is read from the platform and ended here if it ended there meanwhile.
/// </summary>
public sealed class AbandonedActionRecovery(CallActionStore actions, IServiceScopeFactory scopes, TimeProvider time,
    ILogger<AbandonedActionRecovery> logger) : BackgroundService
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var orphans = await actions.ResolveAbandonedAsync(_startedAt, stoppingToken);
            if (orphans.Count == 0) return;
            logger.LogWarning("Resolved {Count} action(s) a stopped process left pending: {Ids}", orphans.Count,
                string.Join(", ", orphans.Select(o => o.Id)));
            await using var scope = scopes.CreateAsyncScope();
            var platform = scope.ServiceProvider.GetRequiredService<LiveCallClient>();
            var calls = scope.ServiceProvider.GetRequiredService<CallStore>();
            foreach (var callSid in orphans.Select(o => o.CallSid).OfType<string>().Distinct())
                await RefreshAsync(platform, calls, callSid, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // shutting down
        }
        catch (Exception e)
        {
            // The stale-pending rule still frees the calls later; start-up must not fail on this.
            logger.LogError(e, "Resolving actions left pending failed");
        }
    }

    private async Task RefreshAsync(LiveCallClient platform, CallStore calls, string callSid, CancellationToken ct)
    {
        string? status;
        try
        {
            status = (await platform.ReadCallAsync(callSid, null, ct)).Status;
        }
        catch (CallApiException e) when (e.StatusCode is StatusCodes.Status404NotFound or StatusCodes.Status406NotAcceptable)
        {
            status = CallStatuses.Completed;
        }
        catch (CallApiException e)
        {
            logger.LogWarning("Could not read {CallSid} after resolving its abandoned action: {Reason}", callSid, e.Message);
            return;
        }
        if (!CallStatuses.IsTerminal(status)) return;
        await calls.MarkEndedAsync(callSid, status!, ct);
    }
}
