using AppServer.Security;

namespace AppServer.Actions;

/// <summary>GET /transfers/{id}: one action with each CallAPI request it made and the answer.</summary>
public static class ActionEndpoints
{
    public static IEndpointRouteBuilder MapActionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/transfers").RequireAgentApiKey().WithTags("Transfers")
            .MapGet("/{id}", Get).WithName("GetTransfer").ProducesProblems(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> Get(string id, CallActionStore store, CancellationToken ct)
    {
        var action = id.Length <= 40 ? await store.FindAsync(id, ct) : null;
        return action is null ? Problems.NotFound($"No transfer with id '{id}'.") : TypedResults.Ok(ActionView.Of(action));
    }
}
