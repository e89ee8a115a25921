using AppServer.Actions;
using AppServer.CallApi;

namespace AppServer.CallControl;

/// <summary>Mutes or unmutes a call; the mute is then re-applied to every later modification of it.</summary>
public sealed class Mute(ActionRunner runner)
{
    public Task<ActionOutcome> RunAsync(string callSid, bool muted, CancellationToken ct) =>
        runner.RunAsync(new ActionRequest(ActionModes.Mute, callSid, null, ""), _ => ActionPlan.Of(
            new ModifyCall(callSid, new LiveCallModification { Mute = muted }, KeepMute: false),
            new SetCallMuted(callSid, muted)), ct);
}
