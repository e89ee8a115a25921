using System.Text.Json;
using CallApi.Emulator.Accounts;
using CallApi.Emulator.Activity;
using CallApi.Emulator.Callbacks;
using CallApi.Emulator.Calls;
using CallApi.Emulator.Conferences;
using CallApi.Emulator.Control;
using CallApi.Emulator.Rcml;
using CallApi.Emulator.Scenario;

namespace CallApi.Emulator;

/// <summary>Builds the emulator web app. Tests call <see cref="Build"/> with Urls = "http://127.0.0.1:0".</summary>
public static class EmulatorApp
{
    /// <summary>The emulator's own configuration file; not appsettings.json, which belongs to AppServer.</summary>
    public const string ConfigFileName = "callapi-emulator.json";

    /// <summary>
    /// Configuration: callapi-emulator.json beside the binary, then environment variables (Emulator__AuthToken=…),
    /// then the command line (--Emulator:AuthToken=…), then <paramref name="configure"/>.
    /// CLI extras: --call-from alice --call-to +15550001000 places an incoming call once the server is up.
    /// <paramref name="configureServices"/> runs last, so tests can replace e.g. the TimeProvider.
    /// </summary>
    public static WebApplication Build(string[] args, Action<EmulatorOptions>? configure = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

        // Drop the default sources (appsettings.json of whoever shares the folder) and load ours explicitly.
        builder.Configuration.Sources.Clear();
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, ConfigFileName), optional: true, reloadOnChange: false)
            .AddEnvironmentVariables()
            .AddCommandLine(args);

        var options = new EmulatorOptions();
        builder.Configuration.GetSection(EmulatorOptions.Section).Bind(options);
        configure?.Invoke(options);

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ActivityTracker>();
        services.AddSingleton<ScenarioRules>();
        services.AddSingleton<CallRegistry>();
        services.AddSingleton<CallEngine>();
        services.AddSingleton<CallRunner>();
        services.AddSingleton<RcmlFetcher>();
        services.AddSingleton<ApplicationClient>();
        services.AddSingleton<CallbackSender>();
        services.AddHostedService(sp => sp.GetRequiredService<CallbackSender>());
        services.AddSingleton<BasicAuthFilter>();
        services.AddHttpClient(ApplicationClient.HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(Math.Max(1,
            options.HttpTimeoutSeconds)));
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower);
        configureServices?.Invoke(services);

        var app = builder.Build();
        app.Urls.Clear();
        app.Urls.Add(options.Urls);

        var engine = app.Services.GetRequiredService<CallEngine>();
        app.Lifetime.ApplicationStopping.Register(engine.StopAllRunners);

        app.MapAccountApi();
        app.MapCallsApi();
        app.MapConferencesApi();
        app.MapControl();

        var callFrom = app.Configuration["call-from"];
        var callTo = app.Configuration["call-to"];
        if (callFrom is not null && callTo is not null)
        {
            app.Lifetime.ApplicationStarted.Register(() =>
            {
                var call = engine.StartIncoming(callFrom, callTo);
                app.Logger.LogInformation("Incoming call {CallSid} from {From} to {To} placed from the command line", call.Sid, callFrom,
                    callTo);
            });
        }
        return app;
    }

    /// <summary>The address Kestrel actually bound (useful with port 0).</summary>
    public static Uri BoundAddress(this WebApplication app) => new(app.Urls.First());

    /// <summary>Waits until no RCML, ring timer or callback work is running; false on timeout.</summary>
    public static Task<bool> WaitForIdleAsync(this WebApplication app, TimeSpan timeout, CancellationToken ct = default) =>
        app.Services.GetRequiredService<ActivityTracker>().WaitForIdleAsync(timeout, ct);

    /// <summary>Run-time scenario rules (same as POST /emulator/scenario).</summary>
    public static ScenarioRules Scenario(this WebApplication app) => app.Services.GetRequiredService<ScenarioRules>();

    /// <summary>The call model, for tests that want to act without HTTP.</summary>
    public static CallEngine Engine(this WebApplication app) => app.Services.GetRequiredService<CallEngine>();
}
