using System.Net;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace AppServer.Tests.Security;

/// <summary>A burst of three wrong secrets per address, then one forgiven per minute: the limit is reached, and stays.</summary>
public sealed class StrictAuthenticationFixture : CallApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["AppServer:Security:FailedAuthenticationBurst"] = "3",
        ["AppServer:Security:FailedAuthenticationsPerMinute"] = "1",
    };
}

/// <summary>Guessing secrets is limited per address (429 with Retry-After), with one warning per burst.</summary>
public class FailedAuthenticationTests(StrictAuthenticationFixture app) : IClassFixture<StrictAuthenticationFixture>
{
    [Fact]
    public async Task Wrong_keys_past_the_burst_get_429_with_retry_after_even_with_a_right_key()
    {
        using var wrong = app.Factory.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", "guess");
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/calls")).StatusCode);

        var limited = await wrong.GetAsync("/calls");
        var problem = await ProblemAssert.AssertProblem(limited, HttpStatusCode.TooManyRequests, null);
        Assert.NotNull(limited.Headers.RetryAfter?.Delta);
        Assert.Contains("too many wrong", problem.Detail);
        // Per address: the right key from the same address waits too.
        Assert.Equal(HttpStatusCode.TooManyRequests, (await app.Agent.GetAsync("/calls")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await wrong.GetAsync("/calls")).StatusCode);
        Assert.Single(app.Factory.Logs.Logs, l => l.Level == LogLevel.Warning && l.Message.Contains("too many wrong"));
        Assert.Equal(60, (int)limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds);
    }

    [Fact]
    public async Task An_address_is_forgiven_as_time_passes()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new AppServer.Security.FailedAuthenticationOptions
        {
            FailedAuthenticationBurst = 2, FailedAuthenticationsPerMinute = 600,
        });
        using var limiter = new AppServer.Security.FailedAuthenticationLimiter(options,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AppServer.Security.FailedAuthenticationLimiter>.Instance);
        var address = IPAddress.Parse("192.0.2.7");
        limiter.Failed(address);
        limiter.Failed(address);
        limiter.Failed(address);
        Assert.False(limiter.IsAllowed(address));
        Assert.True(limiter.IsAllowed(IPAddress.Parse("192.0.2.8")), "another address is not limited");

        await Eventually.HoldsAsync(() => Task.FromResult(limiter.IsAllowed(address)), "forgiven after 0.1 s", timeoutMs: 3000);
    }
}

/// <summary>The framework's request logs at Information, which print each request's URL.</summary>
public sealed class RequestLoggingFixture : CallApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
    };
}

/// <summary>The webhook token never reaches a log line, the framework's own included.</summary>
public class SecretRedactionTests(RequestLoggingFixture app) : IClassFixture<RequestLoggingFixture>
{
    [Fact]
    public async Task The_webhook_token_in_the_frameworks_request_log_is_masked()
    {
        await app.SeedCallAsync();

        var requestLines = app.Factory.Logs.Logs.Where(l => l.Category == "Microsoft.AspNetCore.Hosting.Diagnostics").ToList();
        Assert.Contains(requestLines, l => l.Message.Contains("/incoming"));
        Assert.DoesNotContain(app.Factory.Logs.Logs, l => l.Message.Contains(CallApiFixture.WebhookToken)
            || l.Values.Any(v => v.Value?.ToString()?.Contains(CallApiFixture.WebhookToken) == true));
        var withQuery = await app.Client.GetAsync($"/status?CallSid={Webhook.NewCallSid()}&token={CallApiFixture.WebhookToken}");
        Assert.Equal(HttpStatusCode.OK, withQuery.StatusCode);
        await Eventually.HoldsAsync(() => Task.FromResult(app.Factory.Logs.Logs.Any(l => l.Message.Contains("token=***"))), "masked line");
        Assert.DoesNotContain(app.Factory.Logs.Logs, l => l.Message.Contains(CallApiFixture.WebhookToken));
    }
}
