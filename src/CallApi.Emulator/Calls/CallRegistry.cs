using CallApi.Emulator.Conferences;

namespace CallApi.Emulator.Calls;

/// <summary>All calls and conferences. One gate guards everything: the emulator is small and determinism beats throughput.</summary>
public sealed class CallRegistry
{
    public Lock Gate { get; } = new();
    internal Dictionary<string, Call> Calls { get; } = new(StringComparer.Ordinal);
    internal Dictionary<string, Conference> Conferences { get; } = new(StringComparer.OrdinalIgnoreCase);
}
