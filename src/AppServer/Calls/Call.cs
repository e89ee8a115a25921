namespace AppServer.Calls;

/// <summary>One platform call, keyed by the platform's CallSid, with every parameter it ever sent about it.</summary>
public sealed class Call
{
    public required string CallSid { get; set; }
    public string? AccountSid { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }
    public string? Direction { get; set; }
    public string? CallStatus { get; set; }
    public string? ForwardedFrom { get; set; }
    public string? CallerName { get; set; }
    public string? ParentCallSid { get; set; }

    /// <summary>Agent (a key of <c>Agents</c>) the incoming call was dialled to.</summary>
    public string? Agent { get; set; }

    /// <summary>Whether an agent muted the call; re-applied on every later modification (the platform unmutes otherwise).</summary>
    public bool Muted { get; set; }

    /// <summary>Every webhook parameter received for this call, merged; a later value for a key replaces an earlier one.</summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Call duration in seconds, as reported by the platform's CallDuration.</summary>
    public int? Duration { get; set; }

    /// <summary>Optimistic concurrency token: bumped on every write.</summary>
    public long Version { get; set; }

    public bool IsEnded => CallStatuses.IsTerminal(CallStatus);
}
