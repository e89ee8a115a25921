using AppServer.Actions;
using AppServer.Agents;
using AppServer.CallApi;
using AppServer.Calls.Store;
using AppServer.Legs;
using AppServer.Rcml;

namespace AppServer.Transfers;

/// <summary>
/// Warm transfer, first half: the customer goes on hold (hearing music) and the agent waits in a consult room — or
/// stays in the customer's room — while the target is called into it, so they talk first. The record is then
/// <c>consulting</c>, until <see cref="CompleteWarmTransfer"/> or <see cref="CancelWarmTransfer"/>, or a target that does
/// not answer, which returns the customer to the agent by itself.
/// </summary>
public sealed class WarmTransfer(ActionRunner runner, CallStore calls, CallActionStore actions, LegPartners partners, RcmlUrls rcml,
    OutgoingCalls outgoing)
{
    public async Task<ActionOutcome> RunAsync(string callSid, CallTarget target, string? idempotencyKey, CancellationToken ct)
    {
        var customer = await calls.FindAsync(callSid, ct);
        var partner = customer is null ? null : await partners.BridgedPartnerAsync(customer, ct);
        var agent = partner ?? (customer?.Room is { } room ? await partners.AgentInRoomAsync(room, callSid, ct) : null);
        var consulting = customer is null ? null : await actions.ConsultingOfAsync(callSid, ct);
        var request = new ActionRequest(ActionModes.Warm, callSid, idempotencyKey, ActionRules.Fingerprint(ActionModes.Warm, callSid,
            target.Text))
        {
            Target = target.Text,
            Room = customer?.Room ?? ConferenceRoom.NewName(),
            SuccessState = ActionStates.Consulting,
            AgentCallSid = agent?.CallSid,
        };
        return await runner.RunAsync(request, call =>
        {
            if (consulting is not null) return new PlanRefusal($"Warm transfer {consulting.Id} of call {callSid} is still consulting.");
            if (call!.OnHold) return new PlanRefusal($"Call {callSid} is on hold: take it off hold before a warm transfer.");
            if (agent is null) return new PlanRefusal($"Call {callSid} is not talking to an agent: there is nobody to consult.");
            if (outgoing.CallerIdFor(call) is not { } from)
                return new PlanRefusal($"Call {callSid} has no caller id (From) and CallApi:CallerId is not set.");
            return ActionPlan.Of(
                // In a two-party call both legs move: the customer to music, the agent into the consult room.
                new ModifyCall(callSid, new LiveCallModification
                {
                    Url = rcml.Hold(request.Id), FallbackUrl = rcml.Fallback(), MoveConnectedCallLeg = partner is null ? null : true,
                }),
                new SetCallHold(callSid, true, request.Room),
                new CreateCall(outgoing.To(target.Address, from, rcml.Conference(request.Room!), request.Id), target.Agent?.Name, callSid));
        }, ct);
    }
}
