using AppServer;
using AppServer.Actions;
using AppServer.AgentConsole;
using AppServer.Agents;
using AppServer.CallApi;
using AppServer.CallControl;
using AppServer.Calls;
using AppServer.CallViews;
using AppServer.Conferences;
using AppServer.Configuration;
using AppServer.Data;
using AppServer.Health;
using AppServer.Hosting;
using AppServer.OpenApi;
using AppServer.Rcml;
using AppServer.Reconciliation;
using AppServer.Security;
using AppServer.Telemetry;
using AppServer.Transfers;
using AppServer.Webhooks;

// A bad configuration ends here with one line per problem on stderr and exit code 1 (Hosting/StartupErrors).
return await StartupErrors.RunAsync(async () =>
{
    var builder = WebApplication.CreateBuilder(ConfigurationSetup.HostArguments(args));
    builder.AddRootAppSettings();
    builder.UseLaunchProfileDefaultUrls();
    builder.AddAgentConsole();
    builder.AddTelemetry();

    builder.Services.AddProblemDetails();
    builder.Services.AddInputProblems();
    builder.Services.AddAppOpenApi();
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddAppServerOptions();
    builder.Services.AddTrustedProxies();
    builder.Services.AddAgentAuthentication();
    builder.Services.AddFailedAuthenticationLimiter();
    builder.Services.AddAgents();
    builder.Services.AddAppDatabase(builder.Configuration);
    builder.Services.AddCalls();
    builder.Services.AddWebhooks();
    builder.Services.AddRcml();
    builder.Services.AddCallApi();
    builder.Services.AddCallActions();
    builder.Services.AddCallViews();
    builder.Services.AddReconciliation();
    builder.Services.AddAppHealthChecks();
    builder.Services.AddHostingChecks();
    builder.Services.AddCompleteStartupValidation(); // after every AddOptions: it takes over their start-up validation
    builder.Logging.RedactSecrets();

    var app = builder.Build();
    app.ValidateConfiguration();

    app.UseTrustedProxyForwardedHeaders();
    app.UseRejectedContentTypeLog();
    app.UseFailedAuthenticationLimiter();
    // Explicitly after the limiter: left to itself WebApplication would put authentication first, answering 401 before it.
    app.UseAuthentication();
    app.UseAuthorization();
    app.UseExceptionHandler();
    app.UseStatusCodePages();

    app.UseAgentConsole();
    app.MapAppOpenApi();
    app.MapAppHealthChecks();
    app.MapTelemetry();
    app.MapWebhookEndpoints();
    app.MapRcmlEndpoints();
    app.MapCallViewEndpoints();
    app.MapTransferEndpoints();
    app.MapConferenceEndpoints();
    app.MapCallControlEndpoints();
    app.MapActionEndpoints();

    await app.MigrateDatabaseAsync();
    await app.RunAsync();
});

public partial class Program;
