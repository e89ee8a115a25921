using AppServer.Telemetry;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace AppServer.CallApi;

public static class CallApiSetup
{
    public static IServiceCollection AddCallApi(this IServiceCollection services)
    {
        services.AddOptions<CallApiOptions>().BindConfiguration(CallApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddAppServerMetrics();
        services.AddTransient<CallApiAttemptHandler>();
        var client = services.AddHttpClient<LiveCallClient>(http =>
        {
            http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline times each attempt with CallApi:TimeoutSeconds
            http.DefaultRequestHeaders.UserAgent.ParseAdd("AppServer");
        });
        client.AddResilienceHandler("CallApi", Pipeline);
        client.AddHttpMessageHandler<CallApiAttemptHandler>(); // added after, so inside: it sees (and journals) every attempt
        return services;
    }

    /// <summary>
    /// A custom pipeline, not the standard resilience handler: of the standard's five strategies only the attempt timeout
    /// fits. Its retries (5xx, 408, 429, timeouts) would repeat requests the platform may have carried out and ring someone
    /// twice; its rate limiter would refuse calls past 1000 in flight; its circuit breaker would fail every call's
    /// requests because some others failed (each call is independent, and the test suite fails requests on purpose in
    /// bursts); its total timeout duplicates the attempt timeout; and its validation compares fixed timeouts, where
    /// ours are read from CallApi:TimeoutSeconds per attempt. So: one immediate retry, only for a connection that
    /// failed before any answer on a request that may be repeated, and a per-attempt timeout.
    /// </summary>
    private static void Pipeline(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptionsMonitor<CallApiOptions>>();
        var logger = context.ServiceProvider.GetRequiredService<ILogger<LiveCallClient>>();
        pipeline
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = 1,
                Delay = TimeSpan.Zero,
                // A timeout surfaces as TimeoutRejectedException and an HTTP answer as a result: neither is retried.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is HttpRequestException && CallApiAttempts.MayRetryRequest(args.Context.GetRequestMessage())),
                OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    logger.LogWarning("CallAPI connection failed on {Method} {Path}; retrying once", request?.Method,
                        request?.RequestUri?.AbsolutePath);
                    return default;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions
            {
                TimeoutGenerator = _ => ValueTask.FromResult(TimeSpan.FromSeconds(options.CurrentValue.TimeoutSeconds)),
            });
    }
}
