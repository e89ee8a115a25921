using System.ComponentModel.DataAnnotations;
using AppServer.Actions;
using AppServer.Agents;
using AppServer.Security;
using AppServer.Validation;
using Microsoft.AspNetCore.Mvc;

namespace AppServer.Conferences;

/// <summary>POST /conferences/{room}/participants's body.</summary>
public sealed record ParticipantRequest(string? To) : IAgentRequest
{
    public static string BodyHint => "A JSON body {\"to\"} is required.";

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (!CallTarget.TryResolve(context.GetRequiredService<AgentDirectory>(), To, out _, out var problem))
            yield return new ValidationResult(problem, ["to"]);
    }
}

/// <summary>Conference rooms: invite one more participant.</summary>
public static class ConferenceEndpoints
{
    public static IEndpointRouteBuilder MapConferenceEndpoints(this IEndpointRouteBuilder app)
    {
        var rooms = app.MapGroup("/conferences").RequireAgentApiKey().LimitAgentRequestBodies().ValidateRequests().WithTags("Conferences");
        rooms.MapPost("/{room}/participants", Invite).WithName("InviteParticipant").ProducesActionProblems();
        return app;
    }

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> Invite(string room, ParticipantRequest? body,
        [FromHeader(Name = ActionRules.IdempotencyKeyHeader)] string? idempotencyKey,
        InviteParticipant invite, AgentDirectory agents, CancellationToken ct) =>
        (await invite.RunAsync(room, CallTarget.Resolve(agents, body!.To), string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey,
            ct)).ToHttp();
}
