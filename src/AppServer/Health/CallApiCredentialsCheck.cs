using AppServer.CallApi;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace AppServer.Health;

/// <summary>
/// Readiness of the platform side: one cheap authenticated read (GET the Account resource) proves CallApi:BaseUrl answers
/// and accepts CallApi:AccountSid / CallApi:AuthToken. The answer says which key to fix, never the token.
/// </summary>
public sealed class CallApiCredentialsCheck(LiveCallClient client, CallApiCheckCache cache, IOptionsMonitor<CallApiOptions> options)
    : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var settings = options.CurrentValue;
        return cache.GetAsync($"{settings.BaseUrl}\n{settings.AccountSid}\n{settings.AuthToken}", ct => CheckAsync(settings, ct),
            cancellationToken);
    }

    private async Task<HealthCheckResult> CheckAsync(CallApiOptions settings, CancellationToken ct)
    {
        var at = $"CallAPI at {settings.BaseUrl} (CallApi:BaseUrl)";
        try
        {
            await client.CheckCredentialsAsync(ct);
            return HealthCheckResult.Healthy($"{at} accepts account {settings.AccountSid} (CallApi:AccountSid) and CallApi:AuthToken.");
        }
        catch (CallApiException e)
        {
            return HealthCheckResult.Unhealthy((e.Failure, e.StatusCode) switch
            {
                (CallApiFailure.HttpError, 401) =>
                    $"{at} refuses the credentials (HTTP 401): check CallApi:AuthToken (and CallApi:AccountSid {settings.AccountSid}).",
                (CallApiFailure.HttpError, 403) => $"{at} says account {settings.AccountSid} (CallApi:AccountSid) is inactive (HTTP 403).",
                (CallApiFailure.HttpError, 404) =>
                    $"{at} has no account {settings.AccountSid} (HTTP 404): check CallApi:BaseUrl and CallApi:AccountSid.",
                (CallApiFailure.HttpError, var status) => $"{at} answered HTTP {status} to the account check: {e.PlatformMessage}",
                (CallApiFailure.InvalidResponse, _) => $"{at} answered the account check with something else: {e.PlatformMessage}",
                // Timeouts and connection failures already name CallApi:BaseUrl and its value.
                _ => e.PlatformMessage,
            });
        }
    }
}
