using AppServer.Calls;
using AppServer.Security;
using AppServer.Validation;

namespace AppServer.CallViews;

/// <summary>Read access to stored calls for agents.</summary>
public static class CallViewEndpoints
{
    public static IEndpointRouteBuilder MapCallViewEndpoints(this IEndpointRouteBuilder app)
    {
        var calls = app.MapGroup("/calls").RequireAgentApiKey().ValidateRequests().WithTags("Calls");
        calls.MapGet("", List).WithName("ListCalls")
            .WithSummary("List stored calls, newest first")
            .WithDescription("Each call with its state (talking, ringing, on-hold, waiting, ended), legs, room and transfers. "
                + "limit: 1–1000 (default 100); status: only calls with this CallStatus. 400 names a bad parameter.");
        calls.MapGet("/{callSid}", Get).WithName("GetCall").ProducesProblems(StatusCodes.Status404NotFound)
            .WithSummary("One stored call")
            .WithDescription("The call with every parameter the platform sent, its legs, room and transfers. "
                + "400 for a malformed CallSid, 404 when none is stored.");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<CallView>>, ValidationProblem>> List(
        CallViewQuery views, CancellationToken ct, int limit = 100, string? status = null)
    {
        if (limit is < 1 or > 1000) return Problems.Field("limit", "limit must be between 1 and 1000.");
        if (status is not null && !CallStatuses.IsKnown(status))
            return Problems.Field("status", $"status '{status}' is not a call status.");
        return TypedResults.Ok(await views.ListAsync(limit, status, ct));
    }

    private static async Task<Results<Ok<CallView>, ProblemHttpResult>> Get(string callSid, CallViewQuery views, CancellationToken ct) =>
        await views.FindAsync(callSid, ct) is { } view
            ? TypedResults.Ok(view)
            : Problems.NotFound($"No call with CallSid '{callSid}' is stored.");
}
