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
    private const string Writes = "writes";

    public static IServiceCollection AddAppHealthChecks(this IServiceCollection services)
    {
        services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<CallApiCheckCache>();
        services.AddHealthChecks()
            .AddDbContextCheck<AppDbContext>(Database, tags: [Ready])
            .AddCheck<StorageHealthCheck>(Writes, tags: [Ready])
            .AddCheck<CallApiCredentialsCheck>("callapi", tags: [Ready]);
        return services;
    }

    public static IEndpointRouteBuilder MapAppHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", Options(_ => false)).WithTags("Health")
            .WithSummary("Liveness: the process runs")
            .WithDescription("200 Healthy while the process can answer at all; checks nothing else.");
        app.MapHealthChecks("/health/ready", Options(check => check.Tags.Contains(Ready))).WithTags("Health")
            .WithSummary("Readiness: database, call writes and the platform's credentials")
            .WithDescription("200 with status Healthy and each check, 503 when a check fails (the database cannot be reached, "
                + "call writes are failing, or CallAPI refuses the configured credentials).");
        // Today's /health: storage only (reachable, and taking writes), never the platform.
        app.MapHealthChecks("/health", Options(check => check.Name is Database or Writes)).WithTags("Health")
            .WithSummary("Health: is the database reachable and taking writes")
            .WithDescription("200 with status Healthy and each check, 503 when a check fails.");
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
