using AppServer.Actions;
using AppServer.Agents;
using AppServer.CallApi;
using AppServer.Rcml;

namespace AppServer.Transfers;

/// <summary>
/// Cold transfer (docs/platform.md §5.1): the call is redirected to RCML that dials the target; the platform drops the
/// agent's leg of the old Dial. Afterwards the call rings the target, so a later conference calls back that agent.
/// </summary>
public sealed class ColdTransfer(ActionRunner runner, RcmlUrls rcml)
{
    public Task<ActionOutcome> RunAsync(string callSid, CallTarget target, string? idempotencyKey, CancellationToken ct)
    {
        var request = new ActionRequest(ActionModes.Cold, callSid, idempotencyKey,
            ActionRules.Fingerprint(ActionModes.Cold, callSid, target.Text, null, false))
        { Target = target.Text };
        // The target's RCML names this transfer in its callbacks, so the Dial's progress tells whether the target answered.
        var url = target.Agent is { } agent ? rcml.CallToAgent(agent.Name, request.Id) : rcml.Dial(target.Address, request.Id);
        return runner.RunAsync(request, _ => ActionPlan.Of(
            new ModifyCall(callSid, new LiveCallModification { Url = url, FallbackUrl = rcml.Fallback() }),
            new SetCallAgent(callSid, target.Agent?.Name)), ct);
    }
}
