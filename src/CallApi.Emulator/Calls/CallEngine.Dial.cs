using CallApi.Emulator.Activity;
using CallApi.Emulator.Rcml;
using CallApi.Emulator.Scenario;

namespace CallApi.Emulator.Calls;

public sealed partial class CallEngine
{
    /// <summary>
    /// Rings every target of a Dial in parallel; the scenario decides what each party does. Null when nothing could
    /// ring (every target an unregistered client): the Dial has failed at once.
    /// </summary>
    internal DialSession? BeginDial(Call caller, DialVerb dial, CancellationToken ct)
    {
        lock (Gate)
        {
            ct.ThrowIfCancellationRequested();
            AnswerIfRingingLocked(caller);
            var session = new DialSession(caller, new Wakeup<DialResult>(tracker), time.GetUtcNow());
            foreach (var noun in dial.Targets)
            {
                if (noun.Kind == AddressKind.Client && !IsRegistered(Address.ClientName(noun.Address)))
                {
                    logger.LogInformation("Dial skips unregistered {Address}", noun.Address);
                    NoteLocked(caller, $"dial: {noun.Address} is not registered");
                    continue;
                }
                var target = NewCallLocked(dial.CallerId ?? caller.From, noun.Address, CallDirection.OutboundDial, caller.Sid);
                target.NounCallback = noun.Callback;
                target.ParentDial = session;
                session.Targets.Add(target);
                ProgressEventLocked(target, ProgressEvents.Initiated);
                SetRingingLocked(target);
            }
            NoteLocked(caller, "dial: " + string.Join(",", dial.Targets.Select(t => t.Address)));
            if (session.Targets.Count == 0)
            {
                return null;
            }

            caller.OwnDial = session;
            foreach (var target in session.Targets)
            {
                var outcome = scenario.OutcomeFor(target.To);
                if (outcome != PartyOutcome.Manual)
                {
                    ScheduleRingOutcomeLocked(target, outcome);
                }
                ScheduleRingTimeoutLocked(target, dial.TimeoutSeconds, session.Timers.Token);
            }
            return session;
        }
    }

    /// <summary>The Dial's timeLimit passed while bridged: hang up the callee and report a completed Dial.</summary>
    internal DialResult? EndDialAtTimeLimit(DialSession session, CancellationToken ct)
    {
        lock (Gate)
        {
            if (ct.IsCancellationRequested || session.Finished)
            {
                return null;
            }
            var result = BridgedResultLocked(session);
            AbandonDialLocked(session, partnerMove: null);
            return result;
        }
    }

    /// <summary>A target ended: decides the Dial when it was the bridged one or when no target is left ringing.</summary>
    private void TargetEndedLocked(DialSession session, Call target)
    {
        if (session.Finished)
        {
            return;
        }
        if (session.Bridged == target)
        {
            FinishDialLocked(session, BridgedResultLocked(session));
            return;
        }
        if (session.Bridged is null && session.Targets.All(t => t.IsEnded))
        {
            var statuses = session.Targets.Select(t => t.Status).ToList();
            var status = statuses.Contains(CallStatus.NoAnswer) ? CallStatus.NoAnswer
                : statuses.Contains(CallStatus.Busy) ? CallStatus.Busy
                : statuses.Contains(CallStatus.Canceled) ? CallStatus.Canceled
                : CallStatus.Failed;
            var ring = (int)(time.GetUtcNow() - session.StartedAt).TotalSeconds;
            FinishDialLocked(session, new DialResult(status, session.Targets[0].Sid, 0, ring));
        }
    }

    private DialResult BridgedResultLocked(DialSession session)
    {
        var bridged = session.Bridged!;
        var answeredAt = bridged.StartTime ?? session.StartedAt;
        var endedAt = bridged.EndTime ?? time.GetUtcNow();
        return new DialResult(
            CallStatus.Completed,
            bridged.Sid,
            (int)Math.Max(0, (endedAt - answeredAt).TotalSeconds),
            (int)Math.Max(0, (answeredAt - session.StartedAt).TotalSeconds));
    }

    /// <summary>The Dial is decided: wake the caller's runner, which posts the action callback.</summary>
    private void FinishDialLocked(DialSession session, DialResult result)
    {
        DetachDialLocked(session);
        session.Done.Fire(result);
    }

    /// <summary>
    /// The caller leaves the Dial without a result (hung up or redirected): ringing targets are canceled and the
    /// bridged one is hung up, or sent to the caller's new Url when MoveConnectedCallLeg asked for it.
    /// </summary>
    private void AbandonDialLocked(DialSession session, PartnerMove? partnerMove)
    {
        var targets = DetachDialLocked(session);
        foreach (var target in targets.Where(t => !t.IsEnded))
        {
            if (target == session.Bridged)
            {
                MoveOrHangUpPartnerLocked(target, partnerMove);
            }
            else
            {
                HangUpLocked(target);
            }
        }
    }

    private List<Call> DetachDialLocked(DialSession session)
    {
        session.Finished = true;
        session.Timers.Cancel();
        if (session.Caller.OwnDial == session)
        {
            session.Caller.OwnDial = null;
        }
        foreach (var target in session.Targets)
        {
            target.ParentDial = null;
        }
        return session.Targets.ToList();
    }

    private bool IsRegistered(string client) =>
        options.RegisteredClients.Contains(client, StringComparer.OrdinalIgnoreCase);
}
