namespace AppServer.Hosting;

/// <summary>
/// <c>dotnet run</c> listens on http://localhost:5080 unless something else chooses the address. The launch profile
/// (Properties/launchSettings.json) only sets <see cref="Variable"/>: had it set <c>applicationUrl</c>, dotnet run would
/// export ASPNETCORE_URLS over the caller's own ASPNETCORE_URLS and beat ASPNETCORE_HTTP_PORTS. A publish folder has no
/// launch profile, so it gets the framework's default (or what its host configures).
/// </summary>
public static class DefaultListenAddress
{
    public const string Variable = "APPSERVER_DEFAULT_URLS";

    public static WebApplicationBuilder UseLaunchProfileDefaultUrls(this WebApplicationBuilder builder)
    {
        var fallback = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrWhiteSpace(fallback) || AddressChosen(builder.Configuration)) return builder;
        builder.WebHost.UseUrls(fallback);
        return builder;
    }

    /// <summary>
    /// The standard ways, as the host reads them: urls / http_ports / https_ports (ASPNETCORE_ or DOTNET_ variables,
    /// --urls, any configuration file) and Kestrel:Endpoints.
    /// </summary>
    private static bool AddressChosen(IConfiguration configuration) =>
        new[] { "urls", "http_ports", "https_ports" }.Any(key => !string.IsNullOrWhiteSpace(configuration[key]))
        || configuration.GetSection("Kestrel:Endpoints").GetChildren().Any();
}
