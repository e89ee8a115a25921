using CallApi.Emulator.Calls;

namespace CallApi.Emulator.Rcml;

/// <summary>One verb of an RCML document, already validated by <see cref="RcmlParser"/>.</summary>
public abstract record RcmlVerb;

/// <summary>Loop: how many times it plays (1 by default); 0 repeats it until the leg is moved or ends.</summary>
public sealed record SayVerb(string Text) : RcmlVerb
{
    public int Loop { get; init; } = 1;
}

/// <summary>Loop: how many times it plays (1 by default); 0 repeats it until the leg is moved or ends.</summary>
public sealed record PlayVerb(string Url) : RcmlVerb
{
    public int Loop { get; init; } = 1;
}

public sealed record PauseVerb(int Seconds) : RcmlVerb;
public sealed record GatherVerb(IReadOnlyList<RcmlVerb> Prompts) : RcmlVerb;
public sealed record RecordVerb : RcmlVerb;
public sealed record RedirectVerb(string Url, string Method) : RcmlVerb;
public sealed record HangupVerb : RcmlVerb;
public sealed record RejectVerb(string Reason) : RcmlVerb;

public sealed record DialVerb(
    string? Action,
    string Method,
    int TimeoutSeconds,
    int TimeLimitSeconds,
    string? CallerId,
    IReadOnlyList<DialNoun> Targets,
    ConferenceNoun? Conference) : RcmlVerb;

/// <summary>A Client, Sip or Number to ring. Address is canonical: client:bob, sip:…, or the number.</summary>
public sealed record DialNoun(AddressKind Kind, string Address, NounCallback? Callback);

public sealed record ConferenceNoun(
    string Room,
    bool StartConferenceOnEnter,
    bool EndConferenceOnExit,
    bool Muted,
    int MaxParticipants)
{
    /// <summary>Restcomm beeps by default when a participant enters a running room.</summary>
    public bool Beep { get; init; } = true;

    /// <summary>
    /// An audio file (not RCML) heard while the room waits for a startConferenceOnEnter participant; null: the platform's.
    /// </summary>
    public string? WaitUrl { get; init; }

    public string WaitMethod { get; init; } = "POST";
}

/// <summary>statusCallback of a Dial noun: progress events (initiated, ringing, answered, completed) of the dialled leg.</summary>
public sealed record NounCallback(string Url, string Method, IReadOnlySet<string> Events);
