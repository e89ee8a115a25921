using AppServer.Actions;
using AppServer.CallApi;
using AppServer.Calls;
using AppServer.Calls.Store;
using AppServer.Rcml;

namespace AppServer.Transfers;

/// <summary>
/// Warm transfer, second half: the customer joins the target in the consult room (unless the agent already brought it
/// in: "three-way, then leave") and the consulting agent's leg is released. The warm record becomes <c>completed</c>.
/// </summary>
public sealed class CompleteWarmTransfer(ActionRunner runner, CallStore calls, CallActionStore actions, RcmlUrls rcml)
{
    public async Task<ActionOutcome> RunAsync(string transferId, string? idempotencyKey, CancellationToken ct)
    {
        if (await WarmTransfers.ConsultingAsync(actions, transferId, ct) is { Refused: { } refused }) return refused;
        var warm = (await actions.FindAsync(transferId, ct))!;
        var target = warm.TargetCallSid is null ? null : await calls.FindAsync(warm.TargetCallSid, ct);
        if (target is null || target.IsEnded || target.Room != warm.Room)
            return new ActionOutcome.Rejected(ActionRejection.Conflict,
                $"The target of transfer {transferId} is not in the consult room (yet): wait for it to answer, or cancel the transfer.",
                    warm);
        var agent = warm.AgentCallSid is null ? null : await calls.FindAsync(warm.AgentCallSid, ct);

        var request = new ActionRequest(ActionModes.CompleteWarm, warm.CallSid, idempotencyKey,
            ActionRules.Fingerprint(ActionModes.CompleteWarm, transferId))
        { Target = warm.Target, Room = warm.Room };
        var outcome = await runner.RunAsync(request, call => ActionPlan.Of(
            call!.OnHold ? new ModifyCall(call.CallSid, new LiveCallModification
            {
                Url = rcml.Conference(warm.Room!),
                FallbackUrl = rcml.Fallback()
            }) : null,
            call.OnHold ? new SetCallHold(call.CallSid, false, null) : null,
            agent is { IsEnded: false } ? new HangUpCall(agent.CallSid, SurelyInProgress: true,
                agent.CallStatus)
            { ToleratesGone = true } : null,
            new SetActionState(transferId, ActionStates.Completed, null)), ct);
        return await WarmTransfers.AnswerWithTheWarmRecordAsync(actions, transferId, outcome, ct);
    }
}

/// <summary>
/// Calls a warm transfer off: the target's leg is hung up (when it is still there) and the customer is back with the
/// consulting agent. Also what happens by itself when the target does not answer, with the reason kept on the record.
/// </summary>
public sealed class CancelWarmTransfer(ActionRunner runner, CallStore calls, CallActionStore actions, RcmlUrls rcml)
{
    public async Task<ActionOutcome> RunAsync(string transferId, string? idempotencyKey, string? reason, CancellationToken ct)
    {
        if (await WarmTransfers.ConsultingAsync(actions, transferId, ct) is { Refused: { } refused }) return refused;
        var warm = (await actions.FindAsync(transferId, ct))!;
        var target = warm.TargetCallSid is null ? null : await calls.FindAsync(warm.TargetCallSid, ct);

        var request = new ActionRequest(ActionModes.CancelWarm, warm.CallSid, idempotencyKey,
            ActionRules.Fingerprint(ActionModes.CancelWarm, transferId))
        { Target = warm.Target, Room = warm.Room };
        var outcome = await runner.RunAsync(request, call => ActionPlan.Of(
            target is { IsEnded: false } ? new HangUpCall(target.CallSid, SurelyInProgress: false,
                target.CallStatus)
            { ToleratesGone = true } : null,
            call!.OnHold ? new ModifyCall(call.CallSid, new LiveCallModification
            {
                Url = rcml.Conference(warm.Room!),
                FallbackUrl = rcml.Fallback()
            }) : null,
            call.OnHold ? new SetCallHold(call.CallSid, false, null) : null,
            new SetActionState(transferId, ActionStates.Canceled, reason ?? "Canceled by the agent: the caller is back with them.")), ct);
        return await WarmTransfers.AnswerWithTheWarmRecordAsync(actions, transferId, outcome, ct);
    }
}

internal static class WarmTransfers
{
    /// <summary>A refusal when <paramref name="transferId"/> is no warm transfer still consulting.</summary>
    public static async Task<(CallAction? Warm, ActionOutcome? Refused)> ConsultingAsync(CallActionStore actions, string transferId,
        CancellationToken ct)
    {
        var warm = ActionIds.IsWellFormed(transferId) ? await actions.FindAsync(transferId, ct) : null;
        if (warm is null || warm.Mode != ActionModes.Warm)
            return (null, new ActionOutcome.Rejected(ActionRejection.CallNotFound, $"No warm transfer with id '{transferId}'."));
        if (warm.State != ActionStates.Consulting)
            return (warm, new ActionOutcome.Rejected(ActionRejection.Conflict, $"Transfer {transferId} is {warm.State}, not consulting.",
                warm));
        return (warm, null);
    }

    /// <summary>Complete and cancel answer with the warm transfer's own record, now completed or canceled.</summary>
    public static async Task<ActionOutcome> AnswerWithTheWarmRecordAsync(CallActionStore actions, string transferId, ActionOutcome outcome,
        CancellationToken ct) =>
        outcome is ActionOutcome.Completed ? new ActionOutcome.Completed((await actions.FindAsync(transferId, ct))!) : outcome;
}
