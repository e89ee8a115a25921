using System.Text.Json;
using AppServer.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AppServer.Health;

/// <summary>
/// /health/live: the process answers (no check: a platform or database outage must not get it restarted).
/// /health/ready: the database and the platform's credentials, so a load balancer sends traffic only where it can be
/// served. /health: what it always was (the database), for the probes and scripts that use it.
/// </summary>
public static class HealthSetup
{
    private const string Ready = "ready";
    private const string Database = "database";

    public static IServiceCollection AddAppHealthChecks(this IServiceCollection services)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CallApiCheckCache>();
        services.AddHealthChecks()
            .AddDbContextCheck<AppDbContext>(Database, tags: [Ready])
            .AddCheck<CallApiCredentialsCheck>("callapi", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapAppHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", Options(_ => false)).WithTags("Health");
        app.MapHealthChecks("/health/ready", Options(check => check.Tags.Contains(Ready))).WithTags("Health");
        app.MapHealthChecks("/health", Options(check => check.Name == Database)).WithTags("Health");
        return app;
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) =>
        new()
        {
            Predicate = predicate,
            ResponseWriter = (http, report) =>
            {
                http.Response.ContentType = "application/json";
                return http.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key,
                        e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
                }), http.RequestAborted);
            },
        };
}
