using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace AppServer.Configuration;

public static class ConfigurationSetup
{
    /// <summary>
    /// One watcher of the binaries' folder for every host in the process: each PhysicalFileProvider that watches costs an
    /// inotify instance, a per-user budget of 128 on Debian, and a test run starts dozens of hosts side by side.
    /// </summary>
    private static readonly Lazy<IFileProvider> BinariesFolder =
        new(() => new UndisposedFileProvider(new PhysicalFileProvider(AppContext.BaseDirectory)));

    /// <summary>
    /// Reads the repository-root appsettings.json that the build links next to the binaries, whatever the
    /// working directory (dotnet run, a publish folder, a test host). It goes first, so appsettings.{Environment}.json,
    /// environment variables (CallApi__BaseUrl=…) and command-line arguments still override it.
    /// </summary>
    public static WebApplicationBuilder AddRootAppSettings(this WebApplicationBuilder builder)
    {
        var folder = AppContext.BaseDirectory;
        if (File.Exists(Path.Combine(folder, "appsettings.json")))
            builder.Configuration.Sources.Insert(0, new JsonConfigurationSource
            {
                FileProvider = BinariesFolder.Value,
                Path = "appsettings.json",
                Optional = false,
                ReloadOnChange = true,
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

/// <summary>
/// A file provider shared by every host in the process, which none of them may dispose: a host disposing its configuration
/// disposes the providers that are <see cref="IDisposable"/>, and the next host's watch would then throw.
/// </summary>
internal sealed class UndisposedFileProvider(IFileProvider files) : IFileProvider
{
    public IFileInfo GetFileInfo(string subpath) => files.GetFileInfo(subpath);

    public IDirectoryContents GetDirectoryContents(string subpath) => files.GetDirectoryContents(subpath);

    public Microsoft.Extensions.Primitives.IChangeToken Watch(string filter) => files.Watch(filter);
}
