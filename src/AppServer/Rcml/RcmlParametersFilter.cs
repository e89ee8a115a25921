using AppServer.Calls;
using AppServer.Webhooks;

namespace AppServer.Rcml;

/// <summary>
/// Reads an RCML route's parameters from query and form alike (Restcomm moves the URL's query string into a POST
/// body, so <c>room=</c> or <c>to=</c> may arrive in either). Unlike the call webhooks a CallSid is not required,
/// since the platform fetches these with its own parameters; when a valid one is present it joins the log scope.
/// </summary>
public sealed class RcmlParametersFilter(ILogger<RcmlParametersFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var (parameters, problem) = await WebhookRequestReader.ReadAsync(context.HttpContext);
        if (problem is not null) return problem;
        context.HttpContext.Items[typeof(RcmlParametersFilter)] = parameters;

        if (parameters!.TryGetValue("CallSid", out var callSid) && CallSidRules.Problem(callSid) is null)
            using (logger.BeginCallScope(callSid))
                return await next(context);
        return await next(context);
    }
}

public static class RcmlParameters
{
    /// <summary>A parameter of the request, from the query string or the form body.</summary>
    public static string? RcmlParameter(this HttpContext http, string name) =>
        http.Items[typeof(RcmlParametersFilter)] is Dictionary<string, string> parameters && parameters.TryGetValue(name, out var value)
            ? value
            : null;
}
