namespace AppServer.Webhooks;

/// <summary>
/// Routing answers 415 itself, before any endpoint filter runs, when a request's content type is not one its endpoint
/// accepts (webhooks declare application/x-www-form-urlencoded, for OpenAPI and for this check). That refusal would go
/// unlogged: this logs it like the others, with route, remote address and the content type.
/// </summary>
public static class RejectedContentTypeLog
{
    public static WebApplication UseRejectedContentTypeLog(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RejectedContentTypeLog));
        app.Use(async (http, next) =>
        {
            await next(http);
            // Routing's rejection endpoint is a bare Endpoint; a RouteEndpoint that answered 415 has logged its own refusal.
            if (http.Response.StatusCode == StatusCodes.Status415UnsupportedMediaType && http.GetEndpoint() is not RouteEndpoint)
                logger.Refused(http, StatusCodes.Status415UnsupportedMediaType,
                    $"content type '{http.Request.ContentType}' is not application/x-www-form-urlencoded");
        });
        return app;
    }
}
