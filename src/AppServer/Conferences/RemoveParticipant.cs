using AppServer.Actions;
using AppServer.Calls;
using AppServer.Calls.Store;

namespace AppServer.Conferences;

/// <summary>
/// Takes one member out of a room by hanging up its leg (the platform has no kick, docs/platform.md §4.8). Removing the
/// room's customer ends the room, as the customer hanging up does.
/// </summary>
public sealed class RemoveParticipant(ActionRunner runner, CallStore calls)
{
    public async Task<ActionOutcome> RunAsync(string room, string callSid, string? idempotencyKey, CancellationToken ct)
    {
        var member = await calls.FindAsync(callSid, ct);
        if (member is null || member.IsEnded || member.Room != room)
            return new ActionOutcome.Rejected(ActionRejection.CallNotFound, $"Call {callSid} is not in room '{room}'.");
        var request = new ActionRequest(ActionModes.Remove, callSid, idempotencyKey, ActionRules.Fingerprint(ActionModes.Remove, room,
            callSid))
        {
            Room = room,
        };
        return await runner.RunAsync(request, call => call!.Room != room
            ? new PlanRefusal($"Call {callSid} left room '{room}' meanwhile.")
            : ActionPlan.Of(new HangUpCall(callSid, SurelyInProgress: true, call.CallStatus)), ct);
    }
}
