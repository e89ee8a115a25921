using CallApi.Emulator.Calls;

namespace CallApi.Emulator.Control;

/// <summary>Read-only picture of the emulated world (GET /emulator/state).</summary>
public sealed record EmulatorState(
    IReadOnlyList<LegView> Calls,
    IReadOnlyList<ConferenceView> Conferences,
    IReadOnlyDictionary<string, string> ScenarioRules,
    int BusyWork);

/// <summary>One leg with what it is connected to: the leg it is bridged to, targets it is ringing, its room.</summary>
public sealed record LegView(
    CallResource Call,
    string? BridgedTo,
    IReadOnlyList<string> Ringing,
    string? Conference,
    IReadOnlyList<string> Activity);

public sealed record ConferenceView(string Name, IReadOnlyList<ConferenceMemberView> Members);

public sealed record ConferenceMemberView(string CallSid, string From, string To, bool Muted, bool StartConferenceOnEnter, bool EndConferenceOnExit);
