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

/// <summary>Conference rooms: who is in them, invite one more participant, end a room.</summary>
public static class ConferenceEndpoints
{
    public static IEndpointRouteBuilder MapConferenceEndpoints(this IEndpointRouteBuilder app)
    {
        var rooms = app.MapGroup("/conferences").RequireAgentApiKey().LimitAgentRequestBodies().ValidateRequests().WithTags("Conferences");
        rooms.MapGet("", List).WithName("ListConferences")
            .WithSummary("List live rooms")
            .WithDescription("Every room someone is in, with its members: role (customer, agent, guest), muted, onHold, joinedAt.");
        rooms.MapGet("/{room}", Get).WithName("GetConference").ProducesProblems(StatusCodes.Status404NotFound)
            .WithSummary("One live room and its members")
            .WithDescription("404 for an unknown room or one nobody is in any more.");
        rooms.MapPost("/{room}/participants", Invite).WithName("InviteParticipant").ProducesActionProblems()
            .ProducesJsonBodyProblems()
            .WithSummary("Invite one more participant into a room")
            .WithDescription("Body {\"to\"}: an agent name, client:name, sip:… or an E.164 number. The platform creates an "
                + "outgoing call that joins the room. 404 for a room with nobody in it.");
        rooms.MapPost("/{room}/end", End).WithName("EndConference").ProducesActionProblems()
            .WithSummary("End a room")
            .WithDescription("Every member's leg is hung up, and every leg still ringing to join. 404 for an unknown room.");
        rooms.MapDelete("/{room}/participants/{callSid}", Remove).WithName("RemoveParticipant").ProducesActionProblems()
            .WithSummary("Remove one member from a room")
            .WithDescription("That member's leg is hung up; removing the customer ends the room. 404 when the CallSid is not in it.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<RoomView>>> List(RoomQuery rooms, CancellationToken ct) =>
        TypedResults.Ok(await rooms.ListAsync(ct));

    private static async Task<Results<Ok<RoomView>, ProblemHttpResult>> Get(string room, RoomQuery rooms, CancellationToken ct) =>
        await rooms.FindAsync(room, ct) is { } view ? TypedResults.Ok(view) : Problems.NotFound($"No live call is in room '{room}'.");

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> End(string room, EndRoom end, CancellationToken ct) =>
        (await end.RunAsync(room, null, ct)).ToHttp();

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> Remove(string room, string callSid,
        [FromHeader(Name = ActionRules.IdempotencyKeyHeader)] string? idempotencyKey, RemoveParticipant remove, CancellationToken ct) =>
        (await remove.RunAsync(room, callSid, string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey, ct)).ToHttp();

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> Invite(string room, ParticipantRequest? body,
        [FromHeader(Name = ActionRules.IdempotencyKeyHeader)] string? idempotencyKey,
        InviteParticipant invite, AgentDirectory agents, CancellationToken ct) =>
        (await invite.RunAsync(room, CallTarget.Resolve(agents, body!.To), string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey,
            ct)).ToHttp();
}
