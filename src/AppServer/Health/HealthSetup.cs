using System.Text.Json;
using AppServer.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace AppServer.Health;

public static class HealthSetup
{
    /// <summary>Checks that say whether this instance can serve traffic (what <c>/health/ready</c> runs).</summary>
    public const string ReadyTag = "ready";

    public static IServiceCollection AddAppHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<AppDbContext>("database", tags: [ReadyTag])
            .AddCheck<StorageHealthCheck>("writes", tags: [ReadyTag]);
        return services;
    }

    public static IEndpointRouteBuilder MapAppHealthChecks(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = (http, report) =>
            {
                http.Response.ContentType = "application/json";
                return http.Response.WriteAsync(JsonSerializer.Serialize(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key,
                        e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
                }));
            },
        }).WithTags("Health").WithSummary("Health: is the database reachable")
            .WithDescription("200 with status Healthy and each check, 503 when a check fails.");
        return app;
    }
}
