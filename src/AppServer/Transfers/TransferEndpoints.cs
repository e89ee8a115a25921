using AppServer.Actions;
using AppServer.Agents;
using AppServer.Security;
using AppServer.Validation;
using Microsoft.AspNetCore.Mvc;

namespace AppServer.Transfers;

/// <summary>POST /transfer (cold, conference, warm; docs/platform.md §5) and the end of a warm transfer.</summary>
public static class TransferEndpoints
{
    public static IEndpointRouteBuilder MapTransferEndpoints(this IEndpointRouteBuilder app)
    {
        var transfers = app.MapGroup("").RequireAgentApiKey().LimitAgentRequestBodies().ValidateRequests().WithTags("Transfers");
        transfers.MapPost("/transfer", Transfer).WithName("TransferCall").ProducesActionProblems().ProducesJsonBodyProblems()
            .WithSummary("Transfer a live call: cold, conference or warm")
            .WithDescription("cold: the call is redirected to the target (outcome accepted, then connected or not-connected). "
                + "conference: the call moves into a room and its agent is called back (or moved, moveConnectedCallLeg), "
                + "optionally inviting `to`. warm: the caller holds while the agent consults the target (state consulting). "
                + "Answers the transfer record. Optional Idempotency-Key header: a retry replays the first answer.");
        transfers.MapPost("/transfers/{id}/complete", Complete).WithName("CompleteTransfer").ProducesActionProblems()
            .WithSummary("Complete a warm transfer")
            .WithDescription("The caller joins the consulted target and the consulting agent's leg is released. "
                + "409 unless the transfer is consulting and the target is in the room; 404 for an unknown id.");
        transfers.MapPost("/transfers/{id}/cancel", Cancel).WithName("CancelTransfer").ProducesActionProblems()
            .WithSummary("Cancel a warm transfer")
            .WithDescription("The target's leg is hung up and the caller is back with the agent. "
                + "409 unless the transfer is consulting; 404 for an unknown id.");
        return app;
    }

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> Transfer(TransferRequest? body,
        [FromHeader(Name = ActionRules.IdempotencyKeyHeader)] string? idempotencyKey,
        ColdTransfer cold, ConferenceTransfer conference, WarmTransfer warm, AgentDirectory agents, CancellationToken ct)
    {
        var request = body!;
        var key = NullIfEmpty(idempotencyKey);
        // Validated already: cold and warm transfers always have a target, a conference may have one to invite.
        var target = request.To is null ? null : CallTarget.Resolve(agents, request.To);
        var outcome = request.NormalizedMode switch
        {
            TransferModes.Cold => await cold.RunAsync(request.CallSid!, target!, key, ct),
            TransferModes.Warm => await warm.RunAsync(request.CallSid!, target!, key, ct),
            _ => await conference.RunAsync(request.CallSid!, target, request.Room, request.MoveConnectedCallLeg ?? false, key, ct),
        };
        return outcome.ToHttp();
    }

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> Complete(string id,
        [FromHeader(Name = ActionRules.IdempotencyKeyHeader)] string? idempotencyKey, CompleteWarmTransfer complete,
            CancellationToken ct) =>
        (await complete.RunAsync(id, NullIfEmpty(idempotencyKey), ct)).ToHttp();

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> Cancel(string id,
        [FromHeader(Name = ActionRules.IdempotencyKeyHeader)] string? idempotencyKey, CancelWarmTransfer cancel, CancellationToken ct) =>
        (await cancel.RunAsync(id, NullIfEmpty(idempotencyKey), null, ct)).ToHttp();

    private static string? NullIfEmpty(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
