using System.Net;
using System.Net.Http.Json;
using AppServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;

namespace AppServer.Tests.Telemetry;

/// <summary>
/// Telemetry tests share process-wide listeners (a meter provider or tracer sees every host's instruments and spans by
/// name), so they run alone, one after the other: each test's counts are its own traffic only.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}

/// <summary>
/// One AppServer per test, wired to a <see cref="FakeCallApi"/> with a webhook token. Telemetry settings are host
/// settings: AppServer chooses its exporters while it registers services, before the test's settings would apply.
/// </summary>
public sealed class TelemetryApp : IAsyncDisposable
{
    public const string WebhookToken = "hook-secret";

    private TelemetryApp(FakeCallApi callApi, Factory factory)
    {
        CallApi = callApi;
        Server = factory;
        Client = factory.CreateClient();
        Agent = factory.CreateAgentClient();
    }

    public FakeCallApi CallApi { get; }
    public AppServerFactory Server { get; }
    public HttpClient Client { get; }
    public HttpClient Agent { get; }

    public static async Task<TelemetryApp> StartAsync(IDictionary<string, string?>? hostSettings = null,
        Action<IWebHostBuilder>? configure = null)
    {
        var callApi = new FakeCallApi();
        await callApi.StartAsync();
        var factory = new Factory(new Dictionary<string, string?>
        {
            ["CallApi:BaseUrl"] = callApi.BaseUrl,
            ["CallApi:AccountSid"] = FakeCallApi.AccountSid,
            ["CallApi:AuthToken"] = FakeCallApi.AuthToken,
            ["AppServer:Webhooks:Token"] = WebhookToken,
        }, hostSettings ?? new Dictionary<string, string?>(), configure);
        factory.StartServer();
        return new TelemetryApp(callApi, factory);
    }

    /// <summary>The platform's incoming-call webhook for a new call (routed to bob); returns its CallSid.</summary>
    public async Task<string> IncomingCallAsync()
    {
        var sid = Webhook.NewCallSid();
        var form = Webhook.RestcommIncoming(sid, to: "+15550001000");
        form["token"] = WebhookToken;
        Assert.Equal(HttpStatusCode.OK, (await Client.PostFormAsync("/incoming", form)).StatusCode);
        var status = new Dictionary<string, string> { ["CallSid"] = sid, ["CallStatus"] = "in-progress", ["token"] = WebhookToken };
        Assert.Equal(HttpStatusCode.OK, (await Client.PostFormAsync("/status", status)).StatusCode);
        return sid;
    }

    public async Task ColdTransferAsync(string sid)
    {
        var response = await Agent.PostAsJsonAsync("/transfer", new { callSid = sid, to = "alice", mode = "cold" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Agent.Dispose();
        await Server.DisposeAsync();
        await CallApi.DisposeAsync();
    }

    private sealed class Factory(IDictionary<string, string?> settings, IDictionary<string, string?> hostSettings,
        Action<IWebHostBuilder>? configure) : AppServerFactory(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            foreach (var (key, value) in hostSettings) builder.UseSetting(key, value);
            configure?.Invoke(builder);
        }
    }
}
