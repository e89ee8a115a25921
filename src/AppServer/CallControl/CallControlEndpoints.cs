using System.ComponentModel.DataAnnotations;
using AppServer.Actions;
using AppServer.Security;
using AppServer.Validation;
using Microsoft.AspNetCore.Mvc;

namespace AppServer.CallControl;

/// <summary>POST /calls/{callSid}/mute's body.</summary>
public sealed record MuteRequest(bool? Muted) : IAgentRequest
{
    public static string BodyHint => "muted (true or false) is required.";

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Muted is null) yield return new ValidationResult("muted (true or false) is required.", ["muted"]);
    }
}

/// <summary>POST /calls/{callSid}/hold's body.</summary>
public sealed record HoldRequest(bool? Hold) : IAgentRequest
{
    public static string BodyHint => "A JSON body {\"hold\": true|false} is required.";

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Hold is null) yield return new ValidationResult("hold (true or false) is required.", ["hold"]);
    }
}

/// <summary>Live control of one call: hang up, mute, hold.</summary>
public static class CallControlEndpoints
{
    public static IEndpointRouteBuilder MapCallControlEndpoints(this IEndpointRouteBuilder app)
    {
        var calls = app.MapGroup("/calls/{callSid}")
            .RequireAgentApiKey().LimitAgentRequestBodies().ValidateRequests().WithTags("Call control");
        calls.MapPost("/hangup", HangUpCall).WithName("HangUpCall").ProducesActionProblems()
            .WithSummary("Hang up a call")
            .WithDescription("Status=completed at the platform (canceled while it still rings). A room's customer hanging up "
                + "ends the room. 404 unknown call, 409 already ended.");
        calls.MapPost("/mute", MuteCall).WithName("MuteCall").ProducesActionProblems().ProducesJsonBodyProblems()
            .WithSummary("Mute or unmute a call")
            .WithDescription("Body {\"muted\": true|false}. The mute is sent again with every later move of the call. "
                + "409 while another action of the call is pending.");
        calls.MapPost("/hold", HoldCall).WithName("HoldCall").ProducesActionProblems().ProducesJsonBodyProblems()
            .WithSummary("Hold or resume a leg")
            .WithDescription("Body {\"hold\": true|false}. The held leg hears music and the others stop hearing it; resume "
                + "returns it to its partner or room. Works on either side of a two-party call and on a room member. "
                + "409 when already on hold / not on hold, or the call talks to nobody.");
        return app;
    }

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> HangUpCall(string callSid, HangUp hangUp, CancellationToken ct) =>
        (await hangUp.RunAsync(callSid, ct)).ToHttp();

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> MuteCall(string callSid, MuteRequest? body, Mute mute,
        CancellationToken ct) =>
        (await mute.RunAsync(callSid, body!.Muted!.Value, ct)).ToHttp();

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> HoldCall(string callSid, HoldRequest? body,
        [FromHeader(Name = ActionRules.IdempotencyKeyHeader)] string? idempotencyKey, Hold hold, CancellationToken ct) =>
        (await hold.RunAsync(callSid, body!.Hold!.Value, NullIfEmpty(idempotencyKey), ct)).ToHttp();

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
