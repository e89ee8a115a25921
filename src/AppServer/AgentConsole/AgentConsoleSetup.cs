using Microsoft.Extensions.FileProviders;

namespace AppServer.AgentConsole;

/// <summary>The agent console: static page at <c>/</c>, its live call stream and the agent list.</summary>
public static class AgentConsoleSetup
{
    private const string IndexFile = "index.html";

    public static WebApplicationBuilder AddAgentConsole(this WebApplicationBuilder builder)
    {
        UseConsoleFilesWhereverStarted(builder);
        builder.Services.AddOptions<ConsoleStreamOptions>().BindConfiguration(ConsoleStreamOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<CallEventBroadcaster>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CallEventBroadcaster>());
        return builder;
    }

    public static WebApplication UseAgentConsole(this WebApplication app)
    {
        app.UseSecurityHeaders();
        app.UseDefaultFiles();
        app.UseStaticFiles();
        app.MapAgentConsoleEndpoints();
        return app;
    }

    /// <summary>
    /// The page lives in src/AppServer/wwwroot. The content root is the working directory, which is the
    /// project folder for test hosts but not for <c>dotnet run --project src/AppServer</c> from the repository
    /// root nor for <c>dotnet publish/AppServer.dll</c>. So: a publish folder's wwwroot next to the binaries
    /// is used when the content root has none, and the build's static web assets manifest (which points at
    /// the source wwwroot) is loaded in every environment, not only in Development.
    /// </summary>
    private static void UseConsoleFilesWhereverStarted(WebApplicationBuilder builder)
    {
        var environment = builder.Environment;
        var besideBinaries = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (!File.Exists(Path.Combine(environment.WebRootPath ?? "", IndexFile)) && File.Exists(Path.Combine(besideBinaries, IndexFile)))
        {
            environment.WebRootPath = besideBinaries;
            environment.WebRootFileProvider = new PhysicalFileProvider(besideBinaries);
        }
        builder.WebHost.UseStaticWebAssets();
    }
}
