namespace AppServer.Actions;

/// <summary>
/// One agent action on live calls — a cold or conference transfer, an invite, a hang-up, a mute — stored before its
/// first CallAPI request, with every request made and how it ended. The API calls them transfers (GET /transfers/{id}).
/// </summary>
public sealed class CallAction
{
    public required string Id { get; set; }

    /// <summary>The call acted on; for an invite, the call that opened the room (null when this server did not).</summary>
    public string? CallSid { get; set; }

    /// <summary>One of <see cref="ActionModes"/>.</summary>
    public required string Mode { get; set; }

    /// <summary>The <c>to</c> the agent asked for: an agent name or an address.</summary>
    public string? Target { get; set; }

    /// <summary>Conference room (conference transfers and invites).</summary>
    public string? Room { get; set; }

    /// <summary>The agent who asked for it ("unnamed" with a shared key); null when AppServer acted by itself.</summary>
    public string? RequestedBy { get; set; }

    public bool MoveConnectedCallLeg { get; set; }

    /// <summary>One of <see cref="ActionStates"/>.</summary>
    public string State { get; set; } = ActionStates.Pending;

    /// <summary>
    /// The call this action holds exclusively while pending, else null. A unique index on it lets only one exclusive
    /// action per call be pending — across every process sharing the database, not only inside this one.
    /// </summary>
    public string? LockedCallSid { get; set; }

    /// <summary>Why a failed action failed, as an <see cref="ActionFailure"/> name; the agent's answer is derived from it.</summary>
    public string? FailureKind { get; set; }

    /// <summary>What the agent was told when it failed (replayed for a repeated Idempotency-Key).</summary>
    public string? FailureDetail { get; set; }

    /// <summary>The platform's own words (or the internal error) behind a failure.</summary>
    public string? FailureReason { get; set; }

    /// <summary>
    /// For a cold transfer, whether the target took the call: <see cref="ActionOutcomes"/> — <c>accepted</c> once the
    /// platform took the redirect, then <c>connected</c> when the target's leg answered or <c>not-connected</c>.
    /// </summary>
    public string? Outcome { get; set; }

    /// <summary>Why it did not connect: the Dial's status (busy, no-answer, failed, canceled).</summary>
    public string? OutcomeDetail { get; set; }

    /// <summary>The leg that rang the target (the one that answered, when it did).</summary>
    public string? TargetCallSid { get; set; }

    /// <summary>For a warm transfer, the consulting agent's leg, released when the transfer completes.</summary>
    public string? AgentCallSid { get; set; }

    /// <summary>HTTP status of the platform's last answer (null before any, or when it never answered).</summary>
    public int? PlatformStatus { get; set; }

    public string? IdempotencyKey { get; set; }

    /// <summary>Digest of the request body, so a reused Idempotency-Key with another body is refused.</summary>
    public string? RequestFingerprint { get; set; }

    /// <summary>CallSids of the outgoing calls this action created (agent call-back, invited participants).</summary>
    public List<string> CreatedCallSids { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<CallApiRequestRecord> Requests { get; set; } = [];
}

/// <summary>One CallAPI request an action made and the platform's answer (auth never stored, tokens masked).</summary>
public sealed class CallApiRequestRecord
{
    public long Id { get; set; }
    public required string ActionId { get; set; }
    public int Sequence { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public required string Method { get; set; }
    public required string Path { get; set; }
    public Dictionary<string, string> Form { get; set; } = new(StringComparer.Ordinal);
    public int? ResponseStatus { get; set; }
    /// <summary>Truncated to 2000 characters.</summary>
    public string? ResponseBody { get; set; }
    public double DurationMs { get; set; }
    /// <summary>Succeeded, HttpError, Timeout, ConnectionFailed or InvalidResponse.</summary>
    public required string Outcome { get; set; }
}

public static class ActionModes
{
    public const string Cold = "cold";
    public const string Conference = "conference";
    public const string Invite = "invite";
    public const string HangUp = "hangup";
    public const string Mute = "mute";
    public const string EndRoom = "end-room";
    public const string Hold = "hold";
    public const string Unhold = "unhold";
    public const string Warm = "warm";
    public const string CompleteWarm = "complete";
    public const string CancelWarm = "cancel";
    public const string Remove = "remove";

    /// <summary>
    /// Modes that change what the call does or whether it is muted: only one may be pending per call, so a mute cannot
    /// race a transfer (whose modification would otherwise drop or revert it: the platform reads a missing Mute as false).
    /// </summary>
    public static bool IsExclusivePerCall(string mode) =>
        mode is Cold or Conference or Mute or Hold or Unhold or Warm or CompleteWarm or CancelWarm;

    /// <summary>Modes whose record says whether the target answered (<see cref="CallAction.Outcome"/>).</summary>
    public static bool TracksOutcome(string mode) => mode is Cold or Warm;
}

public static class ActionOutcomes
{
    public const string Accepted = "accepted";
    public const string Connected = "connected";
    public const string NotConnected = "not-connected";
}

public static class ActionStates
{
    public const string Pending = "pending";
    public const string Completed = "completed";
    public const string Failed = "failed";
    /// <summary>A warm transfer whose requests are done: the customer waits on hold while the agent and target talk.</summary>
    public const string Consulting = "consulting";
    /// <summary>A warm transfer called off: by the agent, by a target that did not answer, or by the customer hanging up.</summary>
    public const string Canceled = "canceled";
}
