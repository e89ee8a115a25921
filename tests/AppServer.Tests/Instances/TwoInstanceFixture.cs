using System.Net;
using System.Net.Http.Json;
using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.Instances;

/// <summary>
/// Two AppServer instances sharing one PostgreSQL database (as behind a load balancer), wired to one
/// <see cref="FakeCallApi"/>. They start at the same moment, so both apply the migrations at once.
/// </summary>
public sealed class TwoInstanceFixture : IAsyncLifetime
{
    public FakeCallApi CallApi { get; } = new();
    public PostgresDatabase Database { get; private set; } = null!;
    public AppInstance First { get; private set; } = null!;
    public AppInstance Second { get; private set; } = null!;

    /// <summary>Both instances, for tests that spread requests across them.</summary>
    public AppInstance[] Both => [First, Second];

    public async Task InitializeAsync()
    {
        await CallApi.StartAsync();
        Database = new PostgresDatabase();
        var settings = new Dictionary<string, string?>
        {
            ["CallApi:BaseUrl"] = CallApi.BaseUrl,
            ["CallApi:AccountSid"] = FakeCallApi.AccountSid,
            ["CallApi:AuthToken"] = FakeCallApi.AuthToken,
            ["CallApi:TimeoutSeconds"] = "5",
        };
        First = new AppInstance(new AppServerFactory(settings, postgres: Database));
        Second = new AppInstance(new AppServerFactory(settings, postgres: Database));
        await Task.WhenAll(Task.Run(First.Start), Task.Run(Second.Start));
    }

    public async Task DisposeAsync()
    {
        if (First is not null) await First.DisposeAsync();
        if (Second is not null) await Second.DisposeAsync();
        Database?.Dispose();
        await CallApi.DisposeAsync();
    }
}

/// <summary>One started instance: its webhook client and its agent client.</summary>
public sealed class AppInstance(AppServerFactory factory) : IAsyncDisposable
{
    public AppServerFactory Factory { get; } = factory;
    public HttpClient Client { get; private set; } = null!;
    public HttpClient Agent { get; private set; } = null!;

    public void Start()
    {
        Factory.StartServer();
        Client = Factory.CreateClient();
        Agent = Factory.CreateAgentClient();
    }

    /// <summary>The platform's incoming webhook (answered with a Dial to bob), then an in-progress status callback.</summary>
    public async Task<string> SeedCallAsync()
    {
        var sid = Webhook.NewCallSid();
        var incoming = await Client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid, to: "+15550001000"));
        Assert.Equal(HttpStatusCode.OK, incoming.StatusCode);
        await PostStatusAsync(sid, "in-progress");
        return sid;
    }

    public async Task PostStatusAsync(string sid, string status)
    {
        var response = await Client.PostFormAsync("/status", new Dictionary<string, string> { ["CallSid"] = sid, ["CallStatus"] = status });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public Task<HttpResponseMessage> PostTransferAsync(object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/transfer") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return Agent.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        Agent?.Dispose();
        await Factory.DisposeAsync();
    }
}
