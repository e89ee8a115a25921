using AppServer.Actions;
using AppServer.Calls;

namespace AppServer.CallControl;

/// <summary>
/// Hangs a call up. <c>canceled</c> stops only a call still queued/ringing at the platform; a leg ringing inside a Dial
/// counts as in progress there and needs <c>completed</c> (docs/platform.md §4.2).
/// </summary>
public sealed class HangUp(ActionRunner runner, CallActionStore actions)
{
    public async Task<ActionOutcome> RunAsync(string callSid, CancellationToken ct)
    {
        var moved = await actions.WasMovedAsync(callSid, ct);
        var request = new ActionRequest(ActionModes.HangUp, callSid, null, "");
        return await runner.RunAsync(request, call => ActionPlan.Of(
            new HangUpCall(callSid, SurelyInProgress: moved || InADial(call!) || !CallStatuses.IsNotYetAnswered(call!.CallStatus),
                call!.CallStatus)), ct);
    }

    /// <summary>
    /// A call executing a Dial or ringing inside one, which the platform counts as in progress: a leg it created for a Dial
    /// (or any child leg), an incoming call we answered by dialling an agent (<see cref="Call.Agent"/> is only set on those;
    /// a call we created ourselves is not in a Dial before it is answered), or one a Dial outcome was reported for.
    /// </summary>
    private static bool InADial(Call call) =>
        call.Direction == "outbound-dial" || call.ParentCallSid is not null
        || (call.Agent is not null && call.Direction != "outbound-api")
        || call.Parameters.ContainsKey("DialCallStatus");
}
