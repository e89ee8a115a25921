using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace AppServer.Agents;

/// <summary>The <c>Agents</c> section: agent name → address. Names match ignoring case.</summary>
public sealed class AgentsOptions : Dictionary<string, string>
{
    public const string Section = "Agents";
    public AgentsOptions() : base(StringComparer.OrdinalIgnoreCase) { }
}

public sealed record Agent(string Name, AgentAddress Address);

/// <summary>Looks agents up by name (any case) and by address.</summary>
public sealed class AgentDirectory(IOptionsMonitor<AgentsOptions> options)
{
    public IReadOnlyList<Agent> All =>
        options.CurrentValue
            .Select(kv => AgentAddress.TryParse(kv.Value, out var a, out _) ? new Agent(kv.Key, a) : null)
            .OfType<Agent>()
            .OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();

    public bool TryFind(string? name, [NotNullWhen(true)] out Agent? agent)
    {
        agent = null;
        if (string.IsNullOrWhiteSpace(name)) return false;
        foreach (var (key, value) in options.CurrentValue)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && AgentAddress.TryParse(value, out var address, out _))
            {
                agent = new Agent(key, address);
                return true;
            }
        }
        return false;
    }
}
