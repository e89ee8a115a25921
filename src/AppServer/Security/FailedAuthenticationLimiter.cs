using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace AppServer.Security;

/// <summary><c>AppServer:Security</c>: how many wrong secrets one address may try.</summary>
public sealed class FailedAuthenticationOptions
{
    public const string Section = "AppServer:Security";

    /// <summary>Wrong API keys or webhook tokens an address may send in a burst before it gets 429.</summary>
    [Range(1, 10000, ErrorMessage = "AppServer:Security:FailedAuthenticationBurst must be between 1 and 10000.")]
    public int FailedAuthenticationBurst { get; set; } = 20;

    /// <summary>Wrong secrets forgiven per minute once the burst is spent.</summary>
    [Range(1, 100000, ErrorMessage = "AppServer:Security:FailedAuthenticationsPerMinute must be between 1 and 100000.")]
    public int FailedAuthenticationsPerMinute { get; set; } = 60;
}

/// <summary>
/// Limits guessing of secrets (agent keys, webhook tokens) per remote address with the framework's token-bucket rate
/// limiter: each wrong secret spends a token; an address without tokens gets 429 with Retry-After for every request
/// until they are back. One warning per burst (when the address is first refused), not per request.
/// </summary>
public sealed class FailedAuthenticationLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<IPAddress> _limiter;
    private readonly ILogger<FailedAuthenticationLimiter> _logger;
    private readonly TimeSpan _replenishment;
    private readonly HashSet<IPAddress> _limited = [];
    private readonly Lock _gate = new();

    public FailedAuthenticationLimiter(IOptions<FailedAuthenticationOptions> options, ILogger<FailedAuthenticationLimiter> logger)
    {
        _logger = logger;
        var settings = options.Value;
        _replenishment = TimeSpan.FromMinutes(1) / settings.FailedAuthenticationsPerMinute;
        _limiter = PartitionedRateLimiter.Create<IPAddress, IPAddress>(address => RateLimitPartition.GetTokenBucketLimiter(address, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = settings.FailedAuthenticationBurst, TokensPerPeriod = 1, ReplenishmentPeriod = _replenishment,
                AutoReplenishment = true, QueueLimit = 0,
            }));
    }

    /// <summary>Whether the address has a whole wrong secret left to try (asking spends nothing).</summary>
    public bool IsAllowed(IPAddress address)
    {
        // Not AttemptAcquire(0): the bucket refills in fractions, and a fraction of a token already answers "acquired".
        if (_limiter.GetStatistics(address)?.CurrentAvailablePermits >= 1)
        {
            lock (_gate) _limited.Remove(address);
            return true;
        }
        bool first;
        lock (_gate) first = _limited.Add(address);
        if (first) _logger.LogWarning("{RemoteAddress} sent too many wrong secrets: answering 429 until it slows down", address);
        return false;
    }

    /// <summary>A wrong secret from <paramref name="address"/> spends a token (the next request then finds none left).</summary>
    public void Failed(IPAddress? address)
    {
        if (address is null) return;
        using var lease = _limiter.AttemptAcquire(address, 1);
    }

    public TimeSpan RetryAfter => _replenishment < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : _replenishment;

    public void Dispose() => _limiter.Dispose();
}

public static class FailedAuthenticationLimiterSetup
{
    public static IServiceCollection AddFailedAuthenticationLimiter(this IServiceCollection services)
    {
        services.AddOptions<FailedAuthenticationOptions>().BindConfiguration(FailedAuthenticationOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<FailedAuthenticationLimiter>();
        return services;
    }

    /// <summary>An address that guessed too many secrets is answered 429 (with Retry-After) before anything else runs.</summary>
    public static IApplicationBuilder UseFailedAuthenticationLimiter(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            var limiter = http.RequestServices.GetRequiredService<FailedAuthenticationLimiter>();
            if (http.Connection.RemoteIpAddress is not { } address || limiter.IsAllowed(address))
            {
                await next(http);
                return;
            }
            http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
            var seconds = (int)Math.Ceiling(limiter.RetryAfter.TotalSeconds);
            http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = http,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status429TooManyRequests, Title = "Too many wrong secrets",
                    Type = "https://tools.ietf.org/html/rfc6585#section-4",
                    Detail = "This address sent too many wrong API keys or webhook tokens; retry after the Retry-After seconds.",
                },
            });
        });
}
