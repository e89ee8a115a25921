using AppServer.Actions;
using AppServer.CallApi;
using AppServer.Calls;
using AppServer.Calls.Store;
using AppServer.Legs;
using AppServer.Rcml;

namespace AppServer.CallControl;

/// <summary>
/// Hold and unhold, built from modifications and RCML (the platform has no hold call, docs/platform.md §4.8). A leg in a
/// room moves alone to music and back. A leg of a two-party Dial bridge is moved with MoveConnectedCallLeg, since
/// moving one leg alone hangs the other up: both fetch /Hold with their own CallSid, the held one hears music, its
/// partner waits in a room of its own, which the held leg rejoins on unhold. A muted leg is sent Mute=true with each move.
/// </summary>
public sealed class Hold(ActionRunner runner, CallStore calls, LegPartners partners, RcmlUrls rcml)
{
    public async Task<ActionOutcome> RunAsync(string callSid, bool hold, string? idempotencyKey, CancellationToken ct)
    {
        var mode = hold ? ActionModes.Hold : ActionModes.Unhold;
        var leg = await calls.FindAsync(callSid, ct);
        var partner = leg is null || leg.Room is not null ? null : await partners.BridgedPartnerAsync(leg, ct);
        var request = new ActionRequest(mode, callSid, idempotencyKey, ActionRules.Fingerprint(mode, callSid))
        {
            Room = leg?.Room ?? ConferenceRoom.NewName(),
        };
        return await runner.RunAsync(request, call => hold ? PlanHold(call!, partner, request) : PlanUnhold(call!), ct);
    }

    private PlanResult PlanHold(Call call, Call? partner, ActionRequest request)
    {
        if (call.OnHold) return new PlanRefusal($"Call {call.CallSid} is already on hold.");
        if (call.Room is null && partner is null)
            return new PlanRefusal($"Call {call.CallSid} is not talking to anyone: there is nothing to hold it from.");
        return ActionPlan.Of(
            new ModifyCall(call.CallSid, new LiveCallModification
            {
                Url = rcml.Hold(request.Id), FallbackUrl = rcml.Fallback(), MoveConnectedCallLeg = call.Room is null ? true : null,
            }),
            new SetCallHold(call.CallSid, true, request.Room));
    }

    private PlanResult PlanUnhold(Call call)
    {
        if (!call.OnHold || call.Room is not { } room) return new PlanRefusal($"Call {call.CallSid} is not on hold.");
        return ActionPlan.Of(
            new ModifyCall(call.CallSid, new LiveCallModification { Url = rcml.Conference(room), FallbackUrl = rcml.Fallback() }),
            new SetCallHold(call.CallSid, false, null));
    }
}
