using AppServer.Actions;
using AppServer.Agents;
using AppServer.CallApi;
using AppServer.Rcml;

namespace AppServer.Transfers;

/// <summary>
/// Conference (docs/platform.md §5.2): the caller is moved into a room; moving it drops the agent's leg, so the agent is
/// called back into the room (or, with MoveConnectedCallLeg, the agent's own leg follows); the target, when given, is invited.
/// </summary>
public sealed class ConferenceTransfer(ActionRunner runner, RcmlUrls rcml, OutgoingCalls outgoing, AgentDirectory agents)
{
    public Task<ActionOutcome> RunAsync(string callSid, CallTarget? invitee, string? requestedRoom, bool moveConnectedCallLeg,
        string? idempotencyKey, CancellationToken ct)
    {
        var room = requestedRoom ?? ConferenceRoom.NewName();
        var request = new ActionRequest(ActionModes.Conference, callSid, idempotencyKey,
            ActionRules.Fingerprint(ActionModes.Conference, callSid, invitee?.Text, requestedRoom, moveConnectedCallLeg))
        {
            Target = invitee?.Text, Room = room, MoveConnectedCallLeg = moveConnectedCallLeg,
        };
        var roomUrl = rcml.Conference(room);
        return runner.RunAsync(request, call =>
        {
            var from = outgoing.CallerIdFor(call);
            if (from is null) return new PlanRefusal($"Call {callSid} has no caller id (From) and CallApi:CallerId is not set.");
            Agent? connected = null;
            if (!moveConnectedCallLeg && !agents.TryFind(call!.Agent, out connected))
                return new PlanRefusal(
                    $"Call {callSid} is not connected to a configured agent to call back; use \"moveConnectedCallLeg\": true.");
            return ActionPlan.Of(
                new ModifyCall(callSid, new LiveCallModification
                {
                    Url = roomUrl, FallbackUrl = rcml.Fallback(), MoveConnectedCallLeg = moveConnectedCallLeg ? true : null,
                }),
                connected is null ? null : new CreateCall(outgoing.To(connected.Address, from, roomUrl), connected.Name, callSid),
                invitee is null ? null : new CreateCall(outgoing.To(invitee.Address, from, roomUrl), invitee.Agent?.Name, callSid));
        }, ct);
    }
}
