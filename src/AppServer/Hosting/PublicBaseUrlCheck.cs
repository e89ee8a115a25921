using AppServer.Configuration;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace AppServer.Hosting;

/// <summary>
/// AppServer:PublicBaseUrl is where the platform sends every callback. When it names this machine (localhost, a
/// loopback address, the machine name) but no address AppServer listens on, callbacks would go nowhere — typically the
/// listen address was changed (ASPNETCORE_URLS, --urls, a container port) and PublicBaseUrl was not. Only a warning: a
/// proxy on this machine may forward that address. Checked once the server has started, since only then are the real
/// addresses known (port 0, wildcards, Kestrel endpoints).
/// </summary>
public sealed class PublicBaseUrlCheck(IServer server, IHostApplicationLifetime lifetime, IOptions<AppServerOptions> options,
    ILogger<PublicBaseUrlCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Check);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Check()
    {
        var publicBaseUrl = options.Value.PublicBaseUrl;
        if (!Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var url) || !ListenAddresses.IsThisMachine(url)) return;
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
        if (listening.Count == 0 || ListenAddresses.AnyAnswers(url, listening)) return;
        logger.LogWarning(
            "AppServer:PublicBaseUrl is {PublicBaseUrl}, which points at this machine, but AppServer listens on {ListenAddresses}: "
            + "the platform's callbacks would not reach it. Set AppServer:PublicBaseUrl to the address the platform uses "
            + "(or ignore this if a proxy on this machine forwards it).", publicBaseUrl, string.Join(", ", listening));
    }
}
