using AppServer.CallApi;

namespace AppServer.Actions;

/// <summary>
/// What an agent asked for, before anything is stored: the action's mode and the call it acts on, and what is
/// recorded with it. <see cref="Fingerprint"/> identifies the request for its Idempotency-Key.
/// </summary>
public sealed record ActionRequest(string Mode, string? CallSid, string? IdempotencyKey, string Fingerprint)
{
    /// <summary>The action's id, chosen before it is recorded so the plan's URLs can name it.</summary>
    public string Id { get; init; } = ActionRules.NewActionId();

    public string? Target { get; init; }
    public string? Room { get; init; }

    /// <summary>The agent who asked (<see cref="Security.CurrentAgent"/>); null when AppServer acts by itself.</summary>
    public string? RequestedBy { get; init; }
    public bool MoveConnectedCallLeg { get; init; }

    /// <summary>When true the call must be stored and live (an invite into a room has no call of its own to check).</summary>
    public bool RequiresLiveCall { get; init; } = true;

    /// <summary>The state the action is left in when its steps succeed (a warm transfer goes on: consulting).</summary>
    public string SuccessState { get; init; } = ActionStates.Completed;

    /// <summary>A warm transfer's consulting agent leg.</summary>
    public string? AgentCallSid { get; init; }
}

/// <summary>The steps of an action, computed from the stored call before the action is recorded, run in order.</summary>
public sealed record ActionPlan(IReadOnlyList<ActionStep> Steps)
{
    public static ActionPlan Of(params ActionStep?[] steps) => new(steps.OfType<ActionStep>().ToList());
}

/// <summary>Why an action cannot start (a 409 unless said otherwise); the alternative to a plan.</summary>
public sealed record PlanRefusal(string Detail, ActionRejection Rejection = ActionRejection.Conflict);

/// <summary>One thing an action does: a request to the platform, or what the store then records.</summary>
public abstract record ActionStep;

/// <summary>
/// POST Calls/{CallSid}. With <paramref name="KeepMute"/> a call the agent muted is sent Mute=true (the platform reads a
/// missing Mute as false, docs/platform.md §4.2), read from the store right before the request.
/// </summary>
public sealed record ModifyCall(string CallSid, LiveCallModification Change, bool KeepMute = true) : ActionStep;

/// <summary>
/// POST Calls; each leg the platform made is stored, with <paramref name="Agent"/> when an agent is called, serving the
/// customer's call <paramref name="CustomerCallSid"/> when there is one.
/// </summary>
public sealed record CreateCall(OutgoingCall Call, string? Agent, string? CustomerCallSid) : ActionStep;

/// <summary>
/// Hangs the call up: <c>completed</c> when it is surely in progress at the platform, otherwise the live status is read
/// first and a call still queued/ringing outside a Dial gets <c>canceled</c> (docs/platform.md §4.2). The stored call is
/// then marked ended with the status used.
/// </summary>
public sealed record HangUpCall(string CallSid, bool SurelyInProgress, string? StoredStatus) : ActionStep
{
    /// <summary>A call the platform says has ended or does not know is marked ended and the action goes on (ending a room).</summary>
    public bool ToleratesGone { get; init; }
}

/// <summary>After the platform accepted: the call now rings this agent (or an address, when null).</summary>
public sealed record SetCallAgent(string CallSid, string? Agent) : ActionStep;

/// <summary>After the platform accepted: the call's mute, re-applied to every later modification.</summary>
public sealed record SetCallMuted(string CallSid, bool Muted) : ActionStep;

/// <summary>
/// After the platform accepted: the leg is on hold (hearing music) or back; <paramref name="Room"/> is where it returns to
/// (kept while it is on hold).
/// </summary>
public sealed record SetCallHold(string CallSid, bool OnHold, string? Room) : ActionStep;

/// <summary>After the platform accepted: another action (the warm transfer being completed or canceled) is in this state now.</summary>
public sealed record SetActionState(string ActionId, string State, string? Reason) : ActionStep;
