using AppServer.AgentConsole;
using AppServer.Agents;
using AppServer.CallApi;
using AppServer.Calls;
using AppServer.Configuration;
using AppServer.Data;
using AppServer.Health;
using AppServer.Rcml;
using AppServer.Transfers;
using AppServer.Webhooks;

var builder = WebApplication.CreateBuilder(ConfigurationSetup.HostArguments(args));
builder.AddRootAppSettings();
builder.AddAgentConsole();

builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddAppServerOptions();
builder.Services.AddTrustedProxies();
builder.Services.AddAgents();
builder.Services.AddAppDatabase();
builder.Services.AddCalls();
builder.Services.AddRcml();
builder.Services.AddCallApi();
builder.Services.AddTransfers();
builder.Services.AddAppHealthChecks();

var app = builder.Build();

app.UseTrustedProxyForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();

app.UseAgentConsole();
app.MapOpenApi();
app.MapAppHealthChecks();
app.MapWebhookEndpoints();
app.MapRcmlEndpoints();
app.MapCallEndpoints();
app.MapTransferEndpoints();

await app.MigrateDatabaseAsync();
await app.RunAsync();

public partial class Program;
