using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using AppServer.Agents;

namespace AppServer.Transfers;

/// <summary>Where a call is sent: a configured agent (dialled through /CallTo{Agent}) or any valid address.</summary>
public sealed record TransferTarget(Agent? Agent, AgentAddress Address)
{
    /// <summary>What is stored and shown: the agent's name, or the address.</summary>
    public string Text => Agent?.Name ?? Address.ToCallApiTo();
}

/// <summary>Validation of agent API input for transfers; messages name the field.</summary>
public static partial class TransferRules
{
    public const int MaxIdempotencyKeyLength = 128;
    public const int MaxRoomLength = 64;

    public static bool TryResolveTarget(AgentDirectory agents, string? to, [NotNullWhen(true)] out TransferTarget? target, [NotNullWhen(false)] out string? error)
    {
        target = null;
        if (agents.TryFind(to?.Trim(), out var agent))
        {
            target = new TransferTarget(agent, agent.Address);
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
        target = new TransferTarget(null, address);
        error = null;
        return true;
    }

    public static string? RoomProblem(string? room) =>
        string.IsNullOrEmpty(room) ? "room is required."
        : room.Length > MaxRoomLength ? $"room is longer than {MaxRoomLength} characters."
        : !RoomShape().IsMatch(room) ? "room may contain only letters, digits, '-' and '_'."
        : null;

    public static string? IdempotencyKeyProblem(string key) =>
        key.Length > MaxIdempotencyKeyLength ? $"Idempotency-Key is longer than {MaxIdempotencyKeyLength} characters."
        : key.Any(char.IsControl) ? "Idempotency-Key may not contain control characters."
        : null;

    /// <summary>A fresh room name when the agent gives none.</summary>
    public static string NewRoom() => "room-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static string NewTransferId() => "TR" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>/CallTo{Agent} takes the agent name with its first letter upper-case (CallToAlice); escaped like the RCML routes expect.</summary>
    public static string CallToPath(string agentName) =>
        "/CallTo" + Uri.EscapeDataString(char.ToUpperInvariant(agentName[0]) + agentName[1..]);

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex RoomShape();
}
