using CallApi.Emulator.Scenario;

namespace CallApi.Emulator.Calls;

/// <summary>Operations behind the REST surface and the /emulator control endpoints.</summary>
public sealed partial class CallEngine
{
    public const string AlreadyCompleted = "Call is already completed.";

    /// <summary>A caller dials a DID: the call rings and the DID's application webhook is fetched (docs/platform.md §2).</summary>
    public CallResource StartIncoming(string from, string to)
    {
        var route = options.Numbers.TryGetValue(to, out var exact) ? exact
            : options.Numbers.TryGetValue("*", out var any) ? any
            : new NumberRoute();
        lock (Gate)
        {
            var call = NewCallLocked(Address.ClientName(from.Trim()), to.Trim(), CallDirection.Inbound, null);
            call.Url = route.Url;
            call.Method = route.Method;
            call.FallbackUrl = route.FallbackUrl;
            call.FallbackMethod = route.FallbackMethod;
            call.StatusCallback = route.StatusCallback;
            call.StatusCallbackMethod = route.StatusCallbackMethod;
            ProgressEventLocked(call, ProgressEvents.Initiated);
            SetRingingLocked(call);
            StartRunnerLocked(call, RcmlRequestLocked(call, route.Url, route.Method));
            return CallResource.Of(call);
        }
    }

    /// <summary>POST …/Calls: the callee rings, answers per scenario, and then runs Url. Answers the call as created (queued).</summary>
    public ApiAnswer CreateOutgoing(CreateCallRequest request)
    {
        var to = Address.WithoutHeaders(request.To.Trim());
        if (Address.KindOf(to) == AddressKind.Client)
        {
            var client = Address.ClientName(to);
            if (!IsRegistered(client))
            {
                return ApiAnswer.Error(500, $"The client {client} is not registered.");
            }
            to = "client:" + client;
        }

        lock (Gate)
        {
            var call = NewCallLocked(request.From, to, CallDirection.OutboundApi, null);
            call.Url = request.Url;
            call.Method = request.Method;
            call.FallbackUrl = request.FallbackUrl;
            call.FallbackMethod = request.FallbackMethod;
            call.StatusCallback = request.StatusCallback;
            call.StatusCallbackMethod = request.StatusCallbackMethod;
            call.StatusCallbackEvents = request.StatusCallbackEvents;
            call.RingTimeoutSeconds = request.TimeoutSeconds;
            ProgressEventLocked(call, ProgressEvents.Initiated);
            var created = CallResource.Of(call);

            SetRingingLocked(call);
            var outcome = scenario.OutcomeFor(to);
            if (outcome == PartyOutcome.Manual)
            {
                ScheduleRingTimeoutLocked(call, request.TimeoutSeconds, lifetime.ApplicationStopping);
            }
            else
            {
                ScheduleRingOutcomeLocked(call, outcome);
            }
            return ApiAnswer.Ok(created);
        }
    }

    /// <summary>POST …/Calls/{CallSid} with the semantics of docs/platform.md §4. Answers the call as it was before.</summary>
    public ApiAnswer Modify(string sid, ModifyCallRequest request)
    {
        lock (Gate)
        {
            if (!registry.Calls.TryGetValue(sid, out var call))
            {
                return ApiAnswer.Error(406, "The requested call was not found.");
            }
            if (call.IsEnded)
            {
                return ApiAnswer.Error(410, AlreadyCompleted);
            }
            var before = CallResource.Of(call);
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["CallSid"] = sid });

            if (request.FallbackUrl is not null)
            {
                call.FallbackUrl = request.FallbackUrl;
                call.FallbackMethod = request.FallbackMethod;
            }
            if (request.StatusCallback is not null)
            {
                call.StatusCallback = request.StatusCallback;
                call.StatusCallbackMethod = request.StatusCallbackMethod;
            }
            if (call.Muted != request.Mute)
            {
                NoteLocked(call, request.Mute ? "muted" : "unmuted");
            }
            call.Muted = request.Mute;

            switch (request.Status)
            {
                case CallStatus.Completed:
                    HangUpLocked(call);
                    return ApiAnswer.Ok(before);
                case CallStatus.Canceled:
                    // Only queued/ringing calls outside a Dial can be canceled; a Dial target ringing counts as in-progress.
                    if (call.Status is CallStatus.Queued or CallStatus.Ringing && call.ParentDial is null)
                    {
                        EndLocked(call, CallStatus.Canceled);
                    }
                    else
                    {
                        logger.LogInformation("Status=canceled ignored: call is {Status}", call.Status);
                    }
                    return ApiAnswer.Ok(before);
            }

            if (request.Url is not null)
            {
                RedirectLocked(call, request.Url, request.Method, request.MoveConnectedCallLeg);
            }
            return ApiAnswer.Ok(before);
        }
    }

    // ---------------------------------------------------------------- people (the /emulator control endpoints)

    /// <summary>The ringing party picks up.</summary>
    public ApiAnswer AnswerParty(string sid) => Control(sid, call =>
        AnswerPartyLocked(call) ? null : $"Call is {call.Status}: only a ringing Dial target or outgoing call can be answered.");

    /// <summary>The ringing party refuses: busy, no-answer or failed.</summary>
    public ApiAnswer RejectParty(string sid, string outcome) => Control(sid, call =>
    {
        if (call.Status != CallStatus.Ringing)
        {
            return $"Call is {call.Status}: only a ringing call can be rejected.";
        }
        if (outcome is not (PartyOutcome.Busy or PartyOutcome.NoAnswer or PartyOutcome.Failed))
        {
            return "Outcome must be busy, no-answer or failed.";
        }
        ApplyOutcomeLocked(call, outcome);
        return null;
    });

    /// <summary>The person on this leg hangs up.</summary>
    public ApiAnswer HangupParty(string sid) => Control(sid, call =>
    {
        HangUpLocked(call);
        return null;
    });

    private ApiAnswer Control(string sid, Func<Call, string?> act)
    {
        lock (Gate)
        {
            if (!registry.Calls.TryGetValue(sid, out var call))
            {
                return ApiAnswer.Error(404, "No such call.");
            }
            if (call.IsEnded)
            {
                return ApiAnswer.Error(409, AlreadyCompleted);
            }
            return act(call) is { } problem ? ApiAnswer.Error(409, problem) : ApiAnswer.Ok(CallResource.Of(call));
        }
    }
}
