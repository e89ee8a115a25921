using AppServer.Webhooks;

namespace AppServer.Telemetry;

/// <summary>
/// The webhooks' telemetry, as the outermost endpoint filter of their group: the CallSid on the request's span, and one
/// <c>appserver.webhooks</c> count per answer. The count is taken when the response starts, from its final status, so it
/// also covers answers decided after the handler (a refused body, a storage limit turned into 413 by the exception handler).
/// Requests refused before routing reaches the endpoint (the failed-authentication limiter's 429) are not webhooks here;
/// ASP.NET Core's own <c>http.server.request.duration</c> counts them.
/// </summary>
public static class WebhookTelemetry
{
    /// <summary>Call first on the group, before the authentication and validation filters, so it sees their refusals too.</summary>
    public static TBuilder WithWebhookTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var argument = PlatformRequestArgument.IndexIn(factory, nameof(WebhookTelemetry));
            var metrics = factory.ApplicationServices.GetRequiredService<AppServerMetrics>();
            return context =>
            {
                var http = context.HttpContext;
                var request = context.GetArgument<PlatformRequest>(argument);
                CallSidTag.OnCurrentActivity(request.Get("CallSid"));
                var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? http.Request.Path.Value ?? "";
                http.Response.OnStarting(() =>
                {
                    metrics.WebhookAnswered(route, Outcome(http.Response.StatusCode));
                    return Task.CompletedTask;
                });
                return next(context);
            };
        });
        return builder;
    }

    /// <summary>A closed set of outcomes, named for what the platform was told.</summary>
    public static string Outcome(int status) => status switch
    {
        < 400 => "accepted",
        401 or 403 => "unauthenticated",
        413 => "too_large",
        429 => "throttled",
        < 500 => "invalid",
        _ => "failed",
    };
}
