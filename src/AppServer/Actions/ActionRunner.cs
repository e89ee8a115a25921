using AppServer.CallApi;
using AppServer.Calls;
using AppServer.Calls.Store;
using AppServer.Security;
using AppServer.Telemetry;

namespace AppServer.Actions;

/// <summary>
/// Runs agent actions the same way whatever they do: an earlier answer to the Idempotency-Key is replayed; the call is
/// checked; the plan is made from it (before anything is stored); the action is recorded, holding the call; its steps
/// run; it is finished as completed or failed with the platform's reason. Never leaves an action pending.
/// </summary>
public sealed class ActionRunner(CallActionStore actions, CallStore calls, LiveCallClient callApi, TimeProvider time,
    CurrentAgent agent, AppServerMetrics metrics, ILogger<ActionRunner> logger)
{
    /// <summary>
    /// <paramref name="plan"/> turns the stored call (null when the request names none, or the call is unknown and the
    /// action does not need one) into steps, or a refusal; it is pure: it runs before the action is recorded.
    /// </summary>
    public async Task<ActionOutcome> RunAsync(ActionRequest request, Func<Call?, PlanResult> plan, CancellationToken ct)
    {
        CallSidTag.OnCurrentActivity(request.CallSid);
        try
        {
            var (outcome, replayed) = await RunOnceAsync(request, plan, ct);
            var (name, reason) = outcome switch
            {
                // An answer replayed for a repeated Idempotency-Key was counted when the action ran.
                _ when replayed => ("replayed", null),
                ActionOutcome.Completed => ("completed", null),
                ActionOutcome.Failed failed => ("failed", failed.Failure.ToString()),
                ActionOutcome.Rejected rejected => ("rejected", rejected.Rejection.ToString()),
                _ => ("unknown", (string?)null),
            };
            metrics.ActionFinished(request.Mode, name, reason);
            return outcome;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            metrics.ActionFinished(request.Mode, "failed", nameof(ActionFailure.Abandoned));
            throw;
        }
    }

    private async Task<(ActionOutcome Outcome, bool Replayed)> RunOnceAsync(ActionRequest request, Func<Call?, PlanResult> plan,
        CancellationToken ct)
    {
        using var scope = logger.BeginScope(
            new Dictionary<string, object?> { ["CallSid"] = request.CallSid, ["TransferMode"] = request.Mode });
        if (request.IdempotencyKey is { } key && await actions.ReplayAsync(key, request.Fingerprint, ct) is { } replay)
            return (replay, true);
        request = request with { RequestedBy = agent.Name };

        var call = request.CallSid is null ? null : await calls.FindAsync(request.CallSid, ct);
        if (request.RequiresLiveCall && call is null) return (ActionOutcome.NotFound(request.CallSid!), false);
        if (request.RequiresLiveCall && call!.IsEnded) return (ActionOutcome.NotLive(call), false);
        var planned = plan(call);
        if (planned.Refusal is { } refusal) return (new ActionOutcome.Rejected(refusal.Rejection, refusal.Detail), false);

        var start = await actions.BeginAsync(request, ct);
        if (start.Outcome is { } early) return (early, false);
        return (await ExecuteAsync(request, start.Action!, planned.Plan!, ct), false);
    }

    private async Task<ActionOutcome> ExecuteAsync(ActionRequest request, CallAction action, ActionPlan plan, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["TransferId"] = action.Id });
        var steps = new ActionSteps(callApi, actions, calls, time, logger, action.Id, ct);
        try
        {
            foreach (var step in plan.Steps) await steps.RunAsync(step);
            logger.LogInformation("{Mode} {TransferId} of {CallSid} completed", request.Mode, action.Id, request.CallSid);
            return new ActionOutcome.Completed(await FinishAsync(action, steps, null, null, null, request.SuccessState));
        }
        catch (CallApiException e)
        {
            var (failure, detail) = ActionOutcome.Of(e);
            if (steps.ModifyingCallSid is { } modified && failure is ActionFailure.CallGone or ActionFailure.CallUnknown)
                await steps.MarkEndedAsync(modified, CallStatuses.Completed); // the platform no longer has this call live
            logger.LogWarning("{Mode} {TransferId} of {CallSid} failed: {Reason}", request.Mode, action.Id, request.CallSid, e.Message);
            return new ActionOutcome.Failed(failure, detail, await FinishAsync(action, steps, failure, detail, e.PlatformMessage));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The agent went away mid-request: do not leave the action pending (it would hold the call). The platform
            // may or may not have acted, so a replay of this key says so instead of pretending success or failure.
            await FinishAsync(action, steps, ActionFailure.Abandoned,
                "The first request with this Idempotency-Key was abandoned before CallAPI answered; "
                + $"see GET /transfers/{action.Id} and retry with a new key.",
                "The agent's request was canceled before CallAPI answered.");
            throw;
        }
        catch (Exception e)
        {
            // A bug or a storage failure: never leave the action pending nor answer a bare 500.
            // The platform may have acted on the requests already made; the action record lists them.
            logger.LogError(e, "{Mode} {TransferId} of {CallSid} failed unexpectedly", request.Mode, action.Id, request.CallSid);
            var detail = $"The {request.Mode} stopped on an internal error ({e.GetType().Name}) "
                         + $"after {steps.RequestCount} CallAPI request(s); "
                         + $"see GET /transfers/{action.Id} for what the platform was asked and answered.";
            return new ActionOutcome.Failed(ActionFailure.Internal, detail,
                await FinishAsync(action, steps, ActionFailure.Internal, detail, $"Internal error: {e.GetType().Name}: {e.Message}"));
        }
    }

    private async Task<CallAction> FinishAsync(CallAction action, ActionSteps steps, ActionFailure? failure, string? detail, string? reason,
        string successState = ActionStates.Completed)
    {
        await steps.FlushAsync();
        return await actions.FinishAsync(action.Id, action.Mode, successState, action.CallSid, failure, detail, reason,
            steps.CreatedCallSids, CancellationToken.None);
    }
}

/// <summary>A plan, or why there can be none.</summary>
public readonly record struct PlanResult(ActionPlan? Plan, PlanRefusal? Refusal)
{
    public static implicit operator PlanResult(ActionPlan plan) => new(plan, null);
    public static implicit operator PlanResult(PlanRefusal refusal) => new(null, refusal);
}
