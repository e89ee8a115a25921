using AppServer.Actions;
using AppServer.Agents;
using AppServer.Rcml;

namespace AppServer.Conferences;

/// <summary>
/// One more participant into a room: an outgoing call whose RCML joins it. From is the caller id of the call that
/// opened the room here (so every participant sees the customer's number, as with the agent call-back), else
/// <c>CallApi:CallerId</c>.
/// </summary>
public sealed class InviteParticipant(ActionRunner runner, CallActionStore actions, RcmlUrls rcml, OutgoingCalls outgoing)
{
    public async Task<ActionOutcome> RunAsync(string room, CallTarget target, string? idempotencyKey, CancellationToken ct)
    {
        var origin = await actions.RoomOriginAsync(room, ct);
        var request = new ActionRequest(ActionModes.Invite, origin, idempotencyKey,
            ActionRules.Fingerprint(ActionModes.Invite, room, target.Text, null, false))
        {
            Target = target.Text, Room = room, RequiresLiveCall = false,
        };
        var roomUrl = rcml.Conference(room);
        return await runner.RunAsync(request, call => outgoing.CallerIdFor(call) is { } from
            ? ActionPlan.Of(new CreateCall(outgoing.To(target.Address, from, roomUrl), target.Agent?.Name, origin))
            : new PlanRefusal(
                $"Room '{room}' was not opened by a transfer here and CallApi:CallerId is not set, "
                + "so there is no caller id to invite with.",
                ActionRejection.UnknownRoom), ct);
    }
}
