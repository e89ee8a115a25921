using CallApi.Emulator.Calls;

namespace CallApi.Emulator.Control;

/// <summary>Read-only picture of the emulated world (GET /emulator/state).</summary>
public sealed record EmulatorState(
    IReadOnlyList<LegView> Calls,
    IReadOnlyList<ConferenceView> Conferences,
    IReadOnlyDictionary<string, string> ScenarioRules,
    int BusyWork);

/// <summary>
/// One leg with what it is connected to: the leg it is bridged to, targets it is ringing, its room, what it hears
/// (null once ended).
/// </summary>
public sealed record LegView(
    CallResource Call,
    string? BridgedTo,
    IReadOnlyList<string> Ringing,
    string? Conference,
    IReadOnlyList<string> Activity,
    HearsView? Hears);

/// <summary>
/// What a live leg hears. Kind: partner (CallSids = its Dial partner), conference (the other members whose audio
/// reaches it; Room), music (Url: a Play loop="0" file, or Room and its wait music), ringback (its Dial targets
/// ring) or silence (anything else; Room set when alone in a started room).
/// </summary>
public sealed record HearsView(string Kind, IReadOnlyList<string> CallSids, string? Room, string? Url);

public static class HearsKind
{
    public const string Partner = "partner";
    public const string Conference = "conference";
    public const string Music = "music";
    public const string Ringback = "ringback";
    public const string Silence = "silence";
}

/// <summary>A running room: Status is RUNNING_MODERATOR_PRESENT (started) or RUNNING_MODERATOR_ABSENT (everyone waits).</summary>
public sealed record ConferenceView(string Sid, string Name, string Status, IReadOnlyList<ConferenceMemberView> Members);

/// <summary>Muted: the leg's own mute (noun muted, Mute); Waiting: muted and hearing WaitUrl until the room starts.</summary>
public sealed record ConferenceMemberView(
    string CallSid,
    string From,
    string To,
    bool Muted,
    bool Waiting,
    bool StartConferenceOnEnter,
    bool EndConferenceOnExit,
    string WaitUrl);
