using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using AppServer.Agents;
using AppServer.Rcml;

namespace AppServer.Transfers;

/// <summary>Where a call is sent: a configured agent (dialled through /CallTo{Agent}) or any valid address.</summary>
public sealed record TransferTarget(Agent? Agent, AgentAddress Address)
{
    /// <summary>What is stored and shown: the agent's name, or the address.</summary>
    public string Text => Agent?.Name ?? Address.ToCallApiTo();
}

/// <summary>Validation of agent API input for transfers; messages name the field.</summary>
public static class TransferRules
{
    public const int MaxIdempotencyKeyLength = 128;

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
        : !ConferenceRoom.IsValid(room) ? $"room '{(room.Length > 40 ? room[..40] + "…" : room)}' is invalid: {ConferenceRoom.Rule}"
        : null;

    public static string? IdempotencyKeyProblem(string key) =>
        key.Length > MaxIdempotencyKeyLength ? $"Idempotency-Key is longer than {MaxIdempotencyKeyLength} characters."
        : key.Any(char.IsControl) ? "Idempotency-Key may not contain control characters."
        : null;

    /// <summary>A fresh room name when the agent gives none.</summary>
    public static string NewRoom() => "room-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static string NewTransferId() => "TR" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

}
