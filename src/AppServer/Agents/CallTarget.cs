using System.Diagnostics.CodeAnalysis;

namespace AppServer.Agents;

/// <summary>Where a call is sent: a configured agent (dialled through /CallTo{Agent}) or any valid address.</summary>
public sealed record CallTarget(Agent? Agent, AgentAddress Address)
{
    /// <summary>What is stored and shown: the agent's name, or the address.</summary>
    public string Text => Agent?.Name ?? Address.ToCallApiTo();

    /// <summary>An agent name from <c>Agents</c>, or a <c>client:</c>, <c>sip:</c> or phone number address.</summary>
    public static bool TryResolve(AgentDirectory agents, string? to, [NotNullWhen(true)] out CallTarget? target,
        [NotNullWhen(false)] out string? error)
    {
        target = null;
        if (agents.TryFind(to?.Trim(), out var agent))
        {
            target = new CallTarget(agent, agent.Address);
            error = null;
            return true;
        }
        if (!AgentAddress.TryParse(to, out var address, out var reason))
        {
            error = string.IsNullOrWhiteSpace(to)
                ? "to is required: an agent name from Agents, client:name, sip:user@host or an E.164 number."
                : $"to {reason}; expected an agent name from Agents, client:name, sip:user@host or an E.164 number.";
            return false;
        }
        target = new CallTarget(null, address);
        error = null;
        return true;
    }

    /// <summary>A <c>to</c> the validation filter already accepted.</summary>
    public static CallTarget Resolve(AgentDirectory agents, string? to) =>
        TryResolve(agents, to, out var target, out var error) ? target : throw new InvalidOperationException(error);
}
