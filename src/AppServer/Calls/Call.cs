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

    /// <summary>
    /// The customer's call this leg serves: the parent of a leg the platform dialled for it, or the call an action created
    /// this leg for (an agent called back, a participant invited). Null for the customer's own leg.
    /// </summary>
    public string? CustomerCallSid { get; set; }

    /// <summary>Agent (a key of <c>Agents</c>) the incoming call was dialled to.</summary>
    public string? Agent { get; set; }

    /// <summary>Whether an agent muted the call; re-applied on every later modification (the platform unmutes otherwise).</summary>
    public bool Muted { get; set; }

    /// <summary>Every webhook parameter received for this call, merged; a later value for a key replaces an earlier one.</summary>
    public Dictionary<string, string> Parameters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// When this leg was answered; for a customer's call, when the first party it was connected to answered (the platform
    /// reports the progress of the legs it dials, not of the inbound call), so the talk is timed, not the ringing.
    /// </summary>
    public DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>The conference room this leg is in (joined by requesting its RCML); null when in none.</summary>
    public string? Room { get; set; }

    /// <summary>Its role there: one of <see cref="RoomRoles"/>.</summary>
    public string? RoomRole { get; set; }

    public DateTimeOffset? JoinedRoomAt { get; set; }

    /// <summary>
    /// On hold: the leg hears music and nobody hears it. <see cref="Room"/> is where it returns to — its room, or the room
    /// its partner was moved to when the hold split a two-party call (docs/platform.md §8.3).
    /// </summary>
    public bool OnHold { get; set; }

    /// <summary>When the current hold began.</summary>
    public DateTimeOffset? HeldAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Call duration in seconds, as reported by the platform's CallDuration.</summary>
    public int? Duration { get; set; }

    /// <summary>Optimistic concurrency token: bumped on every write.</summary>
    public long Version { get; set; }

    public bool IsEnded => CallStatuses.IsTerminal(CallStatus);
}

public static class RoomRoles
{
    /// <summary>The customer's own (inbound) leg: when it ends, the room ends.</summary>
    public const string Customer = "customer";
    public const string Agent = "agent";
    public const string Guest = "guest";

    public static string Of(Call leg) =>
        leg.Direction == "inbound" && leg.CustomerCallSid is null ? Customer : leg.Agent is not null ? Agent : Guest;
}
