using Microsoft.AspNetCore.HttpOverrides;

namespace AppServer.Configuration;

public static class ForwardedHeadersSetup
{
    /// <summary>
    /// X-Forwarded-For is believed only from AppServer:TrustedProxies (none by default), so a caller cannot fake its address past the
    /// allowlist.
    /// </summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<Microsoft.Extensions.Options.IOptions<AppServerOptions>>(
            (options, appServer) =>
        {
            var proxies = appServer.Value.TrustedProxies;
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
#pragma warning disable ASPDEPR005 // the obsolete list still carries the loopback default and is still consulted
            options.KnownNetworks.Clear();
#pragma warning restore ASPDEPR005
            foreach (var proxy in proxies)
                if (NetworkList.TryParse(proxy, out var network)) options.KnownIPNetworks.Add(network);
        });
        return services;
    }
}

public static class ForwardedHeadersMiddlewareSetup
{
    /// <summary>
    /// The forwarded-headers middleware trusts every proxy when its lists are empty, so it only runs
    /// when AppServer:TrustedProxies names some.
    /// </summary>
    public static WebApplication UseTrustedProxyForwardedHeaders(this WebApplication app)
    {
        var trusted = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AppServerOptions>>()
            .Value.TrustedProxies.Length > 0;
        if (trusted) app.UseForwardedHeaders();
        return app;
    }
}
