using AppServer.Configuration;
using Microsoft.Extensions.Options;

namespace AppServer.Security;

/// <summary>The agent API requires one of <c>AppServer:ApiKeys</c> in the <c>X-Api-Key</c> header.</summary>
public sealed class AgentApiKeyFilter(IOptionsMonitor<AppServerOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var presented = context.HttpContext.Request.Headers[Header].ToString();
        if (string.IsNullOrEmpty(presented))
            return Problems.Status(StatusCodes.Status401Unauthorized, "API key required", $"Send an agent API key in the {Header} header.");
        if (!SecretComparer.MatchesAny(presented, options.CurrentValue.ApiKeys))
            return Problems.Status(StatusCodes.Status401Unauthorized, "Invalid API key", $"The {Header} header does not hold a known agent API key.");
        return await next(context);
    }
}

public static class AgentApiKeyExtensions
{
    /// <summary>Requires a valid <c>X-Api-Key</c> on every endpoint of the group.</summary>
    public static TBuilder RequireAgentApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, AgentApiKeyFilter>()
               .WithMetadata(new ApiKeyRequirementMetadata());
}

/// <summary>Marks endpoints that need the agent API key (for the OpenAPI document).</summary>
public sealed class ApiKeyRequirementMetadata;
