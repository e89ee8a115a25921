using System.ComponentModel.DataAnnotations;
using AppServer.Actions;
using AppServer.Security;
using AppServer.Validation;

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

/// <summary>Live control of one call: hang up, mute.</summary>
public static class CallControlEndpoints
{
    public static IEndpointRouteBuilder MapCallControlEndpoints(this IEndpointRouteBuilder app)
    {
        var calls = app.MapGroup("/calls/{callSid}")
            .RequireAgentApiKey().LimitAgentRequestBodies().ValidateRequests().WithTags("Call control");
        calls.MapPost("/hangup", HangUpCall).WithName("HangUpCall").ProducesActionProblems();
        calls.MapPost("/mute", MuteCall).WithName("MuteCall").ProducesActionProblems();
        return app;
    }

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> HangUpCall(string callSid, HangUp hangUp, CancellationToken ct) =>
        (await hangUp.RunAsync(callSid, ct)).ToHttp();

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> MuteCall(string callSid, MuteRequest? body, Mute mute,
        CancellationToken ct) =>
        (await mute.RunAsync(callSid, body!.Muted!.Value, ct)).ToHttp();
}
