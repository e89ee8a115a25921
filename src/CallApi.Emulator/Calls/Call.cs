using CallApi.Emulator.Rcml;

namespace CallApi.Emulator.Calls;

/// <summary>
/// One call leg. Every field is read and written under <see cref="CallRegistry.Gate"/>; the runner that
/// executes its RCML only touches it through <see cref="CallEngine"/>.
/// </summary>
public sealed class Call
{
    public required string Sid { get; init; }
    public required string AccountSid { get; init; }
    public string? ParentCallSid { get; init; }
    public required string From { get; init; }
    public required string To { get; init; }
    public required string Direction { get; init; }
    public required DateTimeOffset DateCreated { get; init; }

    public string Status { get; set; } = CallStatus.Queued;
    public DateTimeOffset DateUpdated { get; set; }
    public DateTimeOffset? StartTime { get; set; }
    public DateTimeOffset? EndTime { get; set; }
    public bool Muted { get; set; }

    public bool IsEnded => CallStatus.IsFinal(Status);
    public bool WasAnswered => StartTime is not null;

    /// <summary>RCML the call runs once answered (outgoing API calls) and the fallback for failed fetches.</summary>
    public string? Url { get; set; }
    public string Method { get; set; } = "POST";
    public string? FallbackUrl { get; set; }
    public string FallbackMethod { get; set; } = "POST";
    public string? StatusCallback { get; set; }
    public string StatusCallbackMethod { get; set; } = "POST";

    /// <summary>
    /// Progress events (initiated, ringing, answered, completed) the StatusCallback subscribed to, as created calls
    /// do; null for the status callback of an incoming call's number, which reports only the end, with the final status.
    /// </summary>
    public IReadOnlySet<string>? StatusCallbackEvents { get; set; }

    /// <summary>Seconds a manual party may ring before the call ends as no-answer.</summary>
    public int RingTimeoutSeconds { get; set; } = 60;

    // ---- run-time links, all guarded by the registry gate ----

    /// <summary>The Dial this call is executing as the caller, if any.</summary>
    internal DialSession? OwnDial { get; set; }

    /// <summary>The Dial that created this leg (outbound-dial), while still attached to it.</summary>
    internal DialSession? ParentDial { get; set; }

    /// <summary>Progress callbacks requested by the Dial noun that created this leg.</summary>
    internal NounCallback? NounCallback { get; set; }

    internal string? ConferenceName { get; set; }

    /// <summary>The Play (or Say) with loop="0" the leg is hearing, until it is moved or ends.</summary>
    internal LoopingPrompt? Looping { get; set; }

    /// <summary>Cancels the RCML runner of this call: on redirect (a new runner starts) and on hang-up.</summary>
    internal CancellationTokenSource? Execution { get; set; }

    /// <summary>What the emulated media did (say/play/pause/…), for the state view and tests.</summary>
    internal List<string> Activity { get; } = [];
}

/// <summary>A prompt repeating until the leg is moved or ends; MusicUrl is the file of a Play (null for a Say).</summary>
internal sealed record LoopingPrompt(string? MusicUrl);
