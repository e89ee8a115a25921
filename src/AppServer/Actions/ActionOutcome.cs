using AppServer.CallApi;

namespace AppServer.Actions;

/// <summary>Why an action that started did not complete; stored by name, so a replay answers the same.</summary>
public enum ActionFailure
{
    /// <summary>No answer within CallApi:TimeoutSeconds: the platform may or may not have acted.</summary>
    PlatformTimeout,
    PlatformUnreachable,
    PlatformMalformed,
    CredentialsRejected,
    PlatformRefused,
    /// <summary>410: the platform says the call already ended.</summary>
    CallGone,
    /// <summary>406: the platform does not know the call.</summary>
    CallUnknown,
    /// <summary>The agent's request went away before the platform answered.</summary>
    Abandoned,
    /// <summary>A bug or a storage failure after the action was recorded.</summary>
    Internal,
}

/// <summary>Why an action did not start (nothing was sent to the platform).</summary>
public enum ActionRejection { CallNotFound, CallNotLive, Conflict, StillPending, KeyReused, UnknownRoom }

/// <summary>How an agent action ended, in the action's own terms; the endpoints turn it into HTTP (<see cref="ActionResults"/>).</summary>
public abstract record ActionOutcome
{
    public sealed record Completed(CallAction Action) : ActionOutcome;

    public sealed record Failed(ActionFailure Failure, string Detail, CallAction Action) : ActionOutcome;

    public sealed record Rejected(ActionRejection Rejection, string Detail, CallAction? Action = null) : ActionOutcome;

    public static Rejected NotFound(string callSid) => new(ActionRejection.CallNotFound, $"No call with CallSid '{callSid}' is stored.");

    public static Rejected NotLive(Calls.Call call) =>
        new(ActionRejection.CallNotLive, $"Call {call.CallSid} has already ended ({call.CallStatus}).");

    /// <summary>What a platform failure means for the agent, in the words the agent is shown.</summary>
    public static (ActionFailure Failure, string Detail) Of(CallApiException e) => (e.Failure, e.StatusCode) switch
    {
        (CallApiFailure.Timeout, _) => (ActionFailure.PlatformTimeout,
            $"{e.PlatformMessage} The request may or may not have been carried out."),
        // The client's messages name the URL and the configuration key already.
        (CallApiFailure.ConnectionFailed, _) => (ActionFailure.PlatformUnreachable, e.PlatformMessage),
        (CallApiFailure.InvalidResponse, _) => (ActionFailure.PlatformMalformed, e.PlatformMessage),
        (_, 401 or 403) => (ActionFailure.CredentialsRejected,
            $"CallAPI refused the credentials (HTTP {e.StatusCode}): check CallApi:AccountSid and CallApi:AuthToken. "
            + $"The platform said: {e.PlatformMessage}"),
        (_, 410) => (ActionFailure.CallGone, $"The platform says the call has already ended: {e.PlatformMessage}"),
        (_, 406) => (ActionFailure.CallUnknown, $"The platform does not know this call: {e.PlatformMessage}"),
        _ => (ActionFailure.PlatformRefused, $"CallAPI answered HTTP {e.StatusCode}: {e.PlatformMessage}"),
    };
}
