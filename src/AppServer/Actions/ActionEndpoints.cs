using AppServer.Security;

namespace AppServer.Actions;

/// <summary>GET /transfers/{id}: one action with each CallAPI request it made and the answer.</summary>
public static class ActionEndpoints
{
    public static IEndpointRouteBuilder MapActionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/transfers").RequireAgentApiKey().WithTags("Transfers")
            .MapGet("/{id}", Get).WithName("GetTransfer").ProducesProblems(StatusCodes.Status404NotFound)
            .WithSummary("One transfer or other action, with its CallAPI requests")
            .WithDescription("The action record (mode, state, outcome, failureReason) and each request it made to the "
                + "platform with the answer, outcome and duration. 404 for an unknown id.");
        return app;
    }

    private static async Task<Results<Ok<ActionView>, ProblemHttpResult>> Get(string id, CallActionStore store, CancellationToken ct)
    {
        var action = id.Length <= 40 ? await store.FindAsync(id, ct) : null;
        return action is null ? Problems.NotFound($"No transfer with id '{id}'.") : TypedResults.Ok(ActionView.Of(action));
    }
}
