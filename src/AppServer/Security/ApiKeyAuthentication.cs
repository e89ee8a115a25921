using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using AppServer.Configuration;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AppServer.Security;

/// <summary>
/// The agent API's identity: an ASP.NET Core authentication handler for the <c>X-Api-Key</c> header, so routes say
/// <c>RequireAuthorization()</c> and OpenAPI sees the scheme. A missing or unknown key is challenged with a 401
/// problem+json saying which.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory logger, UrlEncoder encoder,
    IOptionsMonitor<AppServerOptions> appServer, IProblemDetailsService problems, FailedAuthenticationLimiter guesses)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[Header].ToString();
        if (presented.Length == 0) return Task.FromResult(AuthenticateResult.NoResult());
        var options = appServer.CurrentValue;
        var agent = AgentOf(presented, options.AgentKeys)
            ?? (SecretComparer.MatchesAny(presented, options.ApiKeys) ? CurrentAgent.Unnamed : null);
        if (agent is null)
        {
            guesses.Failed(Context.Connection.RemoteIpAddress);
            return Task.FromResult(AuthenticateResult.Fail($"The {Header} header does not hold a known agent API key."));
        }
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, agent)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <summary>The agent whose hashed key this is, comparing with every one (no early exit), or null.</summary>
    private static string? AgentOf(string presented, IReadOnlyDictionary<string, string> agentKeys)
    {
        if (agentKeys.Count == 0) return null;
        var hash = AgentKeyHash.HashOf(presented);
        string? found = null;
        foreach (var (agent, stored) in agentKeys)
            if (CryptographicOperations.FixedTimeEquals(hash, AgentKeyHash.Bytes(stored))) found ??= agent;
        return found;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var missing = Request.Headers[Header].Count == 0 || Request.Headers[Header].ToString().Length == 0;
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = missing ? "API key required" : "Invalid API key",
                Detail = missing
                    ? $"Send an agent API key in the {Header} header."
                    : $"The {Header} header does not hold a known agent API key.",
            },
        });
    }
}

public static class ApiKeyAuthenticationSetup
{
    public const string AgentPolicy = "Agent";

    public static IServiceCollection AddAgentAuthentication(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentAgent>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(AgentPolicy,
                policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>
    /// Every endpoint of the group needs a valid agent key; OpenAPI declares the scheme, the 401, and the 429 an address
    /// gets after too many wrong keys (<see cref="FailedAuthenticationLimiter"/>).
    /// </summary>
    public static TBuilder RequireAgentApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(AgentPolicy)
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status429TooManyRequests);
}
