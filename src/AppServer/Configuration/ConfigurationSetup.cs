using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace AppServer.Configuration;

public static class ConfigurationSetup
{
    /// <summary>
    /// <c>false</c> stops watching appsettings.json for edits: each watch costs an inotify instance (128 per user on Debian),
    /// which a read-only container does not need and a test run starting dozens of hosts runs out of.
    /// </summary>
    public const string ReloadSettingsKey = "AppServer:ReloadSettingsOnChange";

    /// <summary>
    /// Reads the repository-root appsettings.json that the build links next to the binaries, whatever the
    /// working directory (dotnet run, a publish folder, a test host). It goes first, so appsettings.{Environment}.json,
    /// environment variables (CallApi__BaseUrl=…) and command-line arguments still override it. Edits are picked up while
    /// it runs unless <see cref="ReloadSettingsKey"/> is false.
    /// </summary>
    public static WebApplicationBuilder AddRootAppSettings(this WebApplicationBuilder builder)
    {
        var folder = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(folder, "appsettings.json")))
            builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
            {
                FileProvider = new PhysicalFileProvider(folder),
                Path = "appsettings.json",
                Optional = false,
                ReloadOnChange = !string.Equals(builder.Configuration[ReloadSettingsKey], "false", StringComparison.OrdinalIgnoreCase),
            });
        return builder;
    }

    /// <summary>
    /// The command line for the host, with <c>hostBuilder:reloadConfigOnChange=false</c> first (an explicit argument
    /// still overrides it). Reloading the content root's appsettings*.json makes the host watch the whole working
    /// directory tree, and the default database lives there: every commit woke the file watcher, ~20 µs of CPU per
    /// webhook under load (bench/NOTES.md §7.6). AppServer's own appsettings.json (<see cref="AddRootAppSettings"/>,
    /// in the binaries' folder) is still reloaded when it changes.
    /// </summary>
    public static string[] HostArguments(string[] args) => ["--hostBuilder:reloadConfigOnChange=false", .. args];

    public static IServiceCollection AddAppServerOptions(this IServiceCollection services)
    {
        services.AddOptions<AppServerOptions>().BindConfiguration(AppServerOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<PublicUrls>();
        services.AddHostedService<Security.DevelopmentSecretsWarning>();
        return services;
    }
}
