using AppServer.Calls;
using AppServer.Webhooks;

namespace AppServer.Rcml;

/// <summary>
/// RCML routes read <c>room=</c> or <c>to=</c> from the bound <see cref="PlatformRequest"/> (query or form alike).
/// Unlike the call webhooks a CallSid is not required, since the platform fetches these with its own parameters;
/// when a valid one is present it joins the log scope.
/// </summary>
public static class RcmlRequestFilter
{
    public static TBuilder ReadRcmlParameters<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var index = PlatformRequestArgument.IndexIn(factory, nameof(ReadRcmlParameters));
            var logger = factory.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RcmlRequestFilter));
            return async invocation =>
            {
                var request = invocation.GetArgument<PlatformRequest>(index);
                if (request.Unreadable(invocation.HttpContext, logger) is { } unreadable) return unreadable;
                if (request.Get("CallSid") is { } callSid && CallSidRules.Problem(callSid) is null)
                    using (logger.BeginCallScope(callSid))
                        return await next(invocation);
                return await next(invocation);
            };
        }).ProducesProblems(StatusCodes.Status413PayloadTooLarge, StatusCodes.Status415UnsupportedMediaType);
}
