using AppServer.Configuration;
using Microsoft.Extensions.Options;

namespace AppServer.Security;

/// <summary>
/// The shipped appsettings.json carries a documented agent key so the first `dotnet run` works; a server that
/// still accepts it outside Development says so loudly at start-up rather than refusing to start.
/// </summary>
public sealed class DevelopmentSecretsWarning(IOptions<AppServerOptions> options, IHostEnvironment environment,
    ILogger<DevelopmentSecretsWarning> logger) : IHostedService
{
    public const string ShippedApiKey = "dev-agent-key";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!environment.IsDevelopment() && options.Value.ApiKeys.Contains(ShippedApiKey))
            logger.LogWarning(
                "AppServer:ApiKeys still contains the publicly documented '{Key}'. "
                + "Replace it (e.g. AppServer__ApiKeys__0=…) before exposing this server.", ShippedApiKey);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
