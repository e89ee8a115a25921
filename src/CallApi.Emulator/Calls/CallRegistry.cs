using CallApi.Emulator.Conferences;

namespace CallApi.Emulator.Calls;

/// <summary>All calls and conferences. One gate guards everything: the emulator is small and determinism beats throughput.</summary>
public sealed class CallRegistry
{
    public Lock Gate { get; } = new();
    internal Dictionary<string, Call> Calls { get; } = new(StringComparer.Ordinal);
    /// <summary>Conferences running now, by room name.</summary>
    internal Dictionary<string, Conference> Conferences { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every conference so far, completed ones too, by ConferenceSid (the REST API lists them all).</summary>
    internal Dictionary<string, Conference> ConferencesBySid { get; } = new(StringComparer.Ordinal);
}
