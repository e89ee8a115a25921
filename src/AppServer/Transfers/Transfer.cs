namespace AppServer.Transfers;

/// <summary>
/// One agent action on live calls — a cold or conference transfer, and also an invite, hang-up or mute —
/// stored before its first CallAPI request, with every request made and the final state.
/// </summary>
public sealed class Transfer
{
    public required string Id { get; set; }

    /// <summary>The call acted on; for an invite, the call that opened the room (null when this server did not).</summary>
    public string? CallSid { get; set; }

    /// <summary>One of <see cref="TransferModes"/>.</summary>
    public required string Mode { get; set; }

    /// <summary>The <c>to</c> the agent asked for: an agent name or an address.</summary>
    public string? Target { get; set; }

    /// <summary>Conference room (conference transfers and invites).</summary>
    public string? Room { get; set; }

    public bool MoveConnectedCallLeg { get; set; }

    /// <summary>One of <see cref="TransferStates"/>.</summary>
    public string State { get; set; } = TransferStates.Pending;

    public string? FailureReason { get; set; }

    /// <summary>HTTP status of the platform's last answer (null before any, or when it never answered).</summary>
    public int? PlatformStatus { get; set; }

    /// <summary>HTTP status and problem title this server answered with, replayed for a repeated Idempotency-Key.</summary>
    public int? AnswerStatus { get; set; }
    public string? AnswerTitle { get; set; }
    public string? AnswerDetail { get; set; }

    public string? IdempotencyKey { get; set; }

    /// <summary>Digest of the request body, so a reused Idempotency-Key with another body is refused.</summary>
    public string? RequestFingerprint { get; set; }

    /// <summary>CallSids of the outgoing calls this action created (agent call-back, invited participants).</summary>
    public List<string> CreatedCallSids { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<CallApiRequestRecord> Requests { get; set; } = [];
}

/// <summary>One CallAPI request a transfer made and the platform's answer (auth never stored, tokens masked).</summary>
public sealed class CallApiRequestRecord
{
    public long Id { get; set; }
    public required string TransferId { get; set; }
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

public static class TransferModes
{
    public const string Cold = "cold";
    public const string Conference = "conference";
    public const string Invite = "invite";
    public const string HangUp = "hangup";
    public const string Mute = "mute";

    /// <summary>
    /// Modes that change what the call does or whether it is muted: only one may be pending per call, so a mute cannot
    /// race a transfer (whose modification would otherwise drop or revert it: the platform reads a missing Mute as false).
    /// </summary>
    public static bool IsExclusivePerCall(string mode) => mode is Cold or Conference or Mute;
}

public static class TransferStates
{
    public const string Pending = "pending";
    public const string Completed = "completed";
    public const string Failed = "failed";
}
