using AppServer.Actions;
using AppServer.Agents;
using AppServer.Calls;
using AppServer.Calls.Store;
using AppServer.Conferences;

namespace AppServer.Legs;

/// <summary>
/// What a leg's reported progress means beyond its own row (docs/platform.md §8.2): the customer's call is talking once
/// a leg dialled or created for it answers; the transfer a leg serves learns whether its target answered; a room whose
/// customer hung up is ended.
/// </summary>
public sealed class LegProgress(CallStore calls, CallActionStore actions, AgentDirectory agents, LiveCallReactions reactions,
    TimeProvider time)
{
    private static readonly HashSet<string> UnansweredDialStatuses =
        new(StringComparer.Ordinal) { "busy", "no-answer", "failed", "canceled" };

    /// <summary>The configured agent a callback URL names, or null.</summary>
    public string? AgentNamed(string? name) => agents.TryFind(name, out var agent) ? agent.Name : null;

    /// <summary>After /status stored <paramref name="leg"/>.</summary>
    public async Task OnStatusAsync(Call leg, WebhookCallData data, string? transferId, CancellationToken ct)
    {
        var reported = data.Get("CallStatus") is { } status ? CallStatuses.Normalize(status) : null;
        var answered = reported == CallStatuses.InProgress;
        if (answered && leg.CustomerCallSid is { } customer) await ConnectCustomerAsync(customer, ct);
        if (transferId is not null)
        {
            if (answered) await actions.RecordOutcomeAsync(transferId, ActionOutcomes.Connected, null, leg.CallSid, ct);
            else if (leg.IsEnded && leg.AnsweredAt is null) await TargetDidNotAnswerAsync(transferId, leg, ct);
        }
        if (leg.IsEnded && leg.CustomerCallSid is null && await actions.ConsultingOfAsync(leg.CallSid, ct) is { } consult)
            await actions.SetStateAsync(consult.Id, ActionStates.Canceled, "The caller hung up during the consult.", ct);
        if (leg.IsEnded && leg.Room is { } room && leg.RoomRole == RoomRoles.Customer) reactions.CustomerLeft(room, leg.CallSid);
    }

    /// <summary>The target's leg ended unanswered: not connected; a warm transfer then returns the customer to the agent.</summary>
    private async Task TargetDidNotAnswerAsync(string transferId, Call leg, CancellationToken ct)
    {
        var status = UnansweredDialStatuses.Contains(leg.CallStatus!) ? leg.CallStatus : null;
        await actions.RecordOutcomeAsync(transferId, ActionOutcomes.NotConnected, status, leg.CallSid, ct);
        if (await actions.FindAsync(transferId, ct) is { Mode: ActionModes.Warm, State: ActionStates.Consulting } warm)
            reactions.TargetDidNotAnswer(warm.Id,
                $"{warm.Target} did not answer{(status is null ? "" : $" ({status})")}: the caller is back with the agent.");
    }

    /// <summary>After /dial-action stored the caller's leg: the Dial of a transfer tells how it ended.</summary>
    public async Task OnDialActionAsync(WebhookCallData data, string? transferId, CancellationToken ct)
    {
        if (transferId is null || data.Get("DialCallStatus") is not { } status) return;
        var target = data.Get("DialCallSid");
        if (status is "answered" or "completed") await actions.RecordOutcomeAsync(transferId, ActionOutcomes.Connected, null, target, ct);
        else if (UnansweredDialStatuses.Contains(status))
            await actions.RecordOutcomeAsync(transferId, ActionOutcomes.NotConnected, status, target, ct);
    }

    /// <summary>
    /// The platform reports the progress of the legs it dials, not of the inbound call: the customer is talking once one
    /// of them answered. Read first, so progress of legs already connected writes nothing.
    /// </summary>
    private async Task ConnectCustomerAsync(string customerCallSid, CancellationToken ct)
    {
        var customer = await calls.FindAsync(customerCallSid, ct);
        if (customer is null || customer.IsEnded || (customer.AnsweredAt is not null
            && CallStatuses.IsInProgress(customer.CallStatus))) return;
        var now = time.GetUtcNow();
        await calls.UpdateAsync(customerCallSid, c =>
        {
            if (c.IsEnded) return;
            if (CallStatuses.CanMoveTo(c.CallStatus, CallStatuses.InProgress)) c.CallStatus = CallStatuses.InProgress;
            c.AnsweredAt ??= now;
        }, ct);
    }
}
