using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace AppServer.Telemetry;

/// <summary>
/// OpenTelemetry: AppServer's meter with ASP.NET Core's, HttpClient's and the runtime's; traces of incoming requests and
/// their CallAPI requests. Exported by OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the exporter reads the other
/// <c>OTEL_*</c> variables itself) and scraped at <c>/metrics</c> unless <c>AppServer:Telemetry:PrometheusEnabled</c> is
/// false. With neither, no meter provider runs (the instruments then cost a check for listeners) and no span is recorded.
/// </summary>
public static class TelemetrySetup
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddAppServerMetrics();
        services.AddSingleton<LiveCallCount>();
        services.AddHostedService<AppServerGauges>();

        // Exporters are chosen here, from the configuration as it stands at start-up (environment, arguments, appsettings).
        var settings = builder.Configuration.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[TelemetryOptions.OtlpEndpointVariable]);
        var switches = new TelemetrySwitches(settings.PrometheusEnabled, otlp, otlp || settings.TracesEnabled);
        services.AddSingleton(switches);
        if (!switches.Metrics && !switches.Traces) return builder;

        var telemetry = services.AddOpenTelemetry()
            // OTEL_SERVICE_NAME, when set, names the service; AppServer otherwise.
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "AppServer"));
        if (switches.Metrics)
            telemetry.WithMetrics(metrics =>
            {
                metrics.AddMeter(AppServerMetrics.MeterName)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (switches.Prometheus) metrics.AddPrometheusExporter();
                if (switches.Otlp) metrics.AddOtlpExporter();
            });
        if (switches.Traces)
            telemetry.WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = http => !IsScrape(http))
                    .AddHttpClientInstrumentation();
                if (switches.Otlp) tracing.AddOtlpExporter();
            });
        return builder;
    }

    /// <summary>Maps <c>/metrics</c> when the Prometheus exporter runs; without it the path is not found (404).</summary>
    public static WebApplication MapTelemetry(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TelemetrySwitches>().Prometheus)
            app.MapPrometheusScrapingEndpoint(TelemetryOptions.ScrapePath).WithTags("Telemetry").ExcludeFromDescription();
        return app;
    }

    // Prometheus scrapes every few seconds: a span for each would drown the traces worth reading.
    private static bool IsScrape(HttpContext http) => http.Request.Path.StartsWithSegments(TelemetryOptions.ScrapePath);
}

/// <summary>What <see cref="TelemetrySetup.AddTelemetry"/> switched on, so mapping agrees with registration.</summary>
public sealed record TelemetrySwitches(bool Prometheus, bool Otlp, bool Traces)
{
    public bool Metrics => Prometheus || Otlp;
}
