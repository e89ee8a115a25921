using AppServer.Actions;
using AppServer.Agents;
using AppServer.Security;
using AppServer.Validation;
using Microsoft.AspNetCore.Mvc;

namespace AppServer.Transfers;

/// <summary>POST /transfer: cold transfer or conference (docs/platform.md §5).</summary>
public static class TransferEndpoints
{
    public static IEndpointRouteBuilder MapTransferEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("").RequireAgentApiKey().LimitAgentRequestBodies().ValidateRequests().WithTags("Transfers")
            .MapPost("/transfer", Transfer).WithName("TransferCall").ProducesActionProblems();
        return app;
    }

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> Transfer(TransferRequest? body,
        [FromHeader(Name = ActionRules.IdempotencyKeyHeader)] string? idempotencyKey,
        ColdTransfer cold, ConferenceTransfer conference, AgentDirectory agents, CancellationToken ct)
    {
        var request = body!;
        var key = string.IsNullOrEmpty(idempotencyKey) ? null : idempotencyKey;
        // Validated already: a cold transfer always has a target, a conference may have one to invite.
        var target = request.To is null ? null : CallTarget.Resolve(agents, request.To);
        var outcome = request.NormalizedMode == TransferModes.Cold
            ? await cold.RunAsync(request.CallSid!, target!, key, ct)
            : await conference.RunAsync(request.CallSid!, target, request.Room, request.MoveConnectedCallLeg ?? false, key, ct);
        return outcome.ToHttp();
    }
}
