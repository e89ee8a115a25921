using System.Collections.Concurrent;
using CallApi.Emulator.Calls;

namespace CallApi.Emulator.Scenario;

/// <summary>Per-address outcomes, seeded from configuration and changeable at run time (POST /emulator/scenario).</summary>
public sealed class ScenarioRules
{
    private readonly ConcurrentDictionary<string, string> _rules = new(StringComparer.OrdinalIgnoreCase);
    private readonly string _default;

    public ScenarioRules(EmulatorOptions options)
    {
        _default = PartyOutcome.Parse(options.Scenario.DefaultOutcome) ?? PartyOutcome.Answered;
        foreach (var (address, outcome) in options.Scenario.Parties)
        {
            Set(address, outcome);
        }
    }

    /// <summary>Sets the outcome for an address; returns false when the outcome is not known.</summary>
    public bool Set(string address, string outcome)
    {
        var parsed = PartyOutcome.Parse(outcome);
        if (parsed is null || string.IsNullOrWhiteSpace(address))
        {
            return false;
        }
        _rules[Address.Canonical(address)] = parsed;
        return true;
    }

    public bool Remove(string address) => _rules.TryRemove(Address.Canonical(address), out _);

    public string OutcomeFor(string address) =>
        _rules.TryGetValue(Address.Canonical(address), out var outcome) ? outcome : _default;

    public IReadOnlyDictionary<string, string> Snapshot() => new Dictionary<string, string>(_rules);
}
