using AppServer.Security;
using AppServer.Transfers;

namespace AppServer.Calls;

/// <summary>Read access to stored calls for agents.</summary>
public static class CallEndpoints
{
    public static IEndpointRouteBuilder MapCallEndpoints(this IEndpointRouteBuilder app)
    {
        var calls = app.MapGroup("/calls").RequireAgentApiKey().WithTags("Calls");
        calls.MapGet("", List).WithName("ListCalls");
        calls.MapGet("/{callSid}", Get).WithName("GetCall");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<CallView>>, ValidationProblem>> List(
        CallStore store, TransferStore transfers, CancellationToken ct, int limit = 100, string? status = null)
    {
        if (limit is < 1 or > 1000) return Problems.Field("limit", "limit must be between 1 and 1000.");
        if (status is not null && !CallStatuses.IsKnown(status)) return Problems.Field("status", $"status '{status}' is not a call status.");
        var calls = await store.ListAsync(limit, status, ct);
        return TypedResults.Ok<IReadOnlyList<CallView>>(await CallView.OfAsync(calls, transfers, ct));
    }

    private static async Task<Results<Ok<CallView>, ValidationProblem, ProblemHttpResult>> Get(string callSid, CallStore store, TransferStore transfers, CancellationToken ct)
    {
        if (CallSidRules.Problem(callSid) is { } problem) return Problems.Field("callSid", problem);
        var call = await store.FindAsync(callSid, ct);
        if (call is null) return Problems.NotFound($"No call with CallSid '{callSid}' is stored.");
        var byCall = await transfers.ForCallsAsync([callSid], ct);
        return TypedResults.Ok(CallView.Of(call, byCall[callSid]));
    }
}
