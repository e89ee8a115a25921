using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using AppServer.Agents;
using AppServer.Calls;
using AppServer.Rcml;
using AppServer.Validation;

namespace AppServer.Transfers;

/// <summary>
/// POST /transfer's body. callSid and mode are required; the others default to null, which is also what tells OpenAPI
/// they are optional (to is needed by cold and warm, optional with conference).
/// </summary>
public sealed record TransferRequest(
    [property: Description("The customer's call (its CallSid).")] string? CallSid,
    [property: Description("cold: the call is moved to the target; conference: into a room, its agent called back; "
        + "warm: the caller holds while the agent consults the target.")] string? Mode,
    [property: Description("The target: an agent name from Agents, client:name, sip:… or an E.164 number. "
        + "Required with cold and warm; with conference, someone to invite into the room.")] string? To = null,
    [property: Description("conference only: the room name (letters, digits, '-', '_'); generated when absent.")] string? Room = null,
    [property: Description("conference only: move the connected agent leg into the room too, rather than calling the agent back.")]
    bool? MoveConnectedCallLeg = null) : IAgentRequest
{
    public static string BodyHint => "A JSON body {\"callSid\",\"to\",\"mode\"} is required.";

    /// <summary>The mode as sent, trimmed and lower-case (derived, so neither read from nor shown in the JSON).</summary>
    [JsonIgnore]
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
