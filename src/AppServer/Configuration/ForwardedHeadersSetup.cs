using Microsoft.AspNetCore.HttpOverrides;

namespace AppServer.Configuration;

public static class ForwardedHeadersSetup
{
    /// <summary>X-Forwarded-For is believed only from AppServer:TrustedProxies (none by default), so a caller cannot fake its address past the allowlist.</summary>
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersOptions>().Configure<Microsoft.Extensions.Options.IOptions<AppServerOptions>>((options, appServer) =>
        {
            var proxies = appServer.Value.TrustedProxies;
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies)
                if (NetworkList.TryParse(proxy, out var network)) options.KnownIPNetworks.Add(network);
        });
        return services;
    }
}
