using AppServer.Actions;
using AppServer.Calls;
using AppServer.Calls.Store;

namespace AppServer.Conferences;

/// <summary>
/// Hangs up every leg still in a room, and every leg created to join it that is still ringing. The platform has no
/// end-conference call (docs/platform.md §4.8), so the room ends leg by leg; a leg already gone does not stop the others.
/// </summary>
public sealed class EndRoom(ActionRunner runner, CallStore calls, CallActionStore actions)
{
    /// <param name="customerLeft">The customer's leg, when it ended by itself (it is not hung up again); null for an agent's
    /// request.</param>
    public async Task<ActionOutcome> RunAsync(string room, string? customerLeft, CancellationToken ct)
    {
        var members = await calls.InRoomsAsync(room, ct);
        var joining = await calls.FindManyAsync(await actions.CreatedForRoomAsync(room, ct), ct);
        var legs = members.Concat(joining.Where(j => !j.IsEnded)).DistinctBy(c => c.CallSid).Where(c => c.CallSid != customerLeft).ToList();
        var customer = customerLeft ?? members.FirstOrDefault(m => m.RoomRole == RoomRoles.Customer)?.CallSid;
        if (legs.Count == 0)
            return new ActionOutcome.Rejected(ActionRejection.UnknownRoom, $"No live call is in room '{room}'.");

        var request = new ActionRequest(ActionModes.EndRoom, customer, null, "") { Room = room, RequiresLiveCall = false };
        return await runner.RunAsync(request, _ => new ActionPlan(legs
            .Select(leg => (ActionStep)new HangUpCall(leg.CallSid,
                SurelyInProgress: leg.Room == room || !CallStatuses.IsNotYetAnswered(leg.CallStatus),
                leg.CallStatus)
            { ToleratesGone = true })
            .ToList()), ct);
    }
}
