namespace AppServer.Webhooks;

public static class WebhookRouteExtensions
{
    private static readonly string[] GetAndPost = [HttpMethods.Get, HttpMethods.Post];

    /// <summary>The platform fetches webhooks and RCML with GET (query) or POST (form), as each number is configured.</summary>
    public static RouteHandlerBuilder MapGetAndPost(this IEndpointRouteBuilder group, string pattern, Delegate handler) =>
        group.MapMethods(pattern, GetAndPost, handler);
}
