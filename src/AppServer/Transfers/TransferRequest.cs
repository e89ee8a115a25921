using System.ComponentModel.DataAnnotations;
using AppServer.Agents;
using AppServer.Calls;
using AppServer.Rcml;
using AppServer.Validation;

namespace AppServer.Transfers;

/// <summary>POST /transfer's body.</summary>
public sealed record TransferRequest(string? CallSid, string? To, string? Mode, string? Room, bool? MoveConnectedCallLeg) : IAgentRequest
{
    public static string BodyHint => "A JSON body {\"callSid\",\"to\",\"mode\"} is required.";

    /// <summary>The mode as sent, trimmed and lower-case.</summary>
    public string? NormalizedMode => Mode?.Trim().ToLowerInvariant();

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (CallSidRules.Problem(CallSid) is { } sidProblem) yield return Problem("callSid", sidProblem);
        var mode = NormalizedMode;
        if (mode is null || !TransferModes.All.Contains(mode))
        {
            yield return Problem("mode", $"mode must be one of {string.Join(", ", TransferModes.All.Select(m => $"\"{m}\""))}.");
            yield break;
        }
        var agents = context.GetRequiredService<AgentDirectory>();
        if ((mode != TransferModes.Conference || To is not null) && !CallTarget.TryResolve(agents, To, out _, out var toProblem))
            yield return Problem("to", toProblem);
        if (Room is not null && mode != TransferModes.Conference) yield return Problem("room",
            "room is only used with mode \"conference\".");
        if (Room is not null && ConferenceRoom.Problem(Room) is { } roomProblem) yield return Problem("room", roomProblem);
        if (MoveConnectedCallLeg == true && mode != TransferModes.Conference)
            yield return Problem("moveConnectedCallLeg", "moveConnectedCallLeg is only used with mode \"conference\".");
    }

    private static ValidationResult Problem(string field, string message) => new(message, [field]);
}

/// <summary>The modes of POST /transfer (the OpenAPI enum and the validation message come from <see cref="All"/>).</summary>
public static class TransferModes
{
    public const string Cold = Actions.ActionModes.Cold;
    public const string Conference = Actions.ActionModes.Conference;
    public const string Warm = Actions.ActionModes.Warm;

    public static IReadOnlyList<string> All { get; } = [Cold, Conference, Warm];
}
