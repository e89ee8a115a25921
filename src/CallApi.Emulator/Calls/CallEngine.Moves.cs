namespace CallApi.Emulator.Calls;

/// <summary>
/// Live modifications with Url, timed like Restcomm's CallManager.update() (docs/platform.md §8): the interpreter of the
/// modified leg stops at once, the leg requests its new Url MoveDelayMs later (silence meanwhile), and the other leg
/// of its Dial is hung up — or, with MoveConnectedCallLeg, requests the same Url itself MovePartnerDelayMs later.
/// </summary>
public sealed partial class CallEngine
{
    /// <summary>The Url the other leg of a Dial is sent to when MoveConnectedCallLeg asked for it.</summary>
    private sealed record PartnerMove(string Url, string Method);

    private TimeSpan MoveDelay => TimeSpan.FromMilliseconds(Math.Max(0, options.Scenario.MoveDelayMs));

    private TimeSpan MovePartnerDelay => TimeSpan.FromMilliseconds(Math.Max(0, options.Scenario.MovePartnerDelayMs));

    /// <summary>
    /// Sends the leg to a new Url. Its Dial partner (the caller or the bridged callee) and every target still
    /// ringing are hung up, unless MoveConnectedCallLeg: then the partner is sent to the same Url. A leg in a room
    /// or playing music has no partner and moves alone.
    /// </summary>
    private void RedirectLocked(Call call, string url, string method, bool moveConnectedLeg)
    {
        call.Url = url;
        call.Method = method;
        NoteLocked(call, "redirect: " + url);
        logger.LogInformation("Call {CallSid} redirected to {Url} (move connected leg: {Move})", call.Sid, url, moveConnectedLeg);

        // An API call not answered yet keeps ringing; it fetches the new Url when answered.
        if (call.Direction == CallDirection.OutboundApi && !call.WasAnswered && call.ParentDial is null)
        {
            return;
        }

        var partnerMove = moveConnectedLeg ? new PartnerMove(url, method) : null;
        if (call.OwnDial is { } ownDial)
        {
            AbandonDialLocked(ownDial, partnerMove);
        }
        if (call.ParentDial is { } parentDial)
        {
            LeaveParentDialLocked(call, parentDial, partnerMove);
        }
        if (call.ConferenceName is not null)
        {
            LeaveConferenceLocked(call);
        }
        StartRunnerLocked(call, RcmlRequestLocked(call, url, method), MoveDelay);
    }

    /// <summary>A Dial target is moved: its caller is hung up or moved too; a target still ringing is picked up.</summary>
    private void LeaveParentDialLocked(Call call, DialSession parentDial, PartnerMove? partnerMove)
    {
        var wasBridged = parentDial.Bridged == call;
        parentDial.Targets.Remove(call);
        call.ParentDial = null;
        if (wasBridged)
        {
            DetachDialLocked(parentDial);
            MoveOrHangUpPartnerLocked(parentDial.Caller, partnerMove);
            return;
        }
        // A target ringing inside a Dial counts as in-progress: the redirect picks it up.
        AnswerLocked(call);
        if (parentDial.Targets.All(t => t.IsEnded))
        {
            var ring = (int)(time.GetUtcNow() - parentDial.StartedAt).TotalSeconds;
            FinishDialLocked(parentDial, new DialResult(CallStatus.Canceled, call.Sid, 0, ring));
        }
    }

    /// <summary>The other leg of a broken bridge: it requests the same Url itself later, or it is hung up now.</summary>
    private void MoveOrHangUpPartnerLocked(Call partner, PartnerMove? partnerMove)
    {
        if (partner.IsEnded)
        {
            return;
        }
        if (partnerMove is null)
        {
            HangUpLocked(partner);
            return;
        }
        NoteLocked(partner, "redirect: " + partnerMove.Url);
        StartRunnerLocked(partner, RcmlRequestLocked(partner, partnerMove.Url, partnerMove.Method), MovePartnerDelay);
    }
}
