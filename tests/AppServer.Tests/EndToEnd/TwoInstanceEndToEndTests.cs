using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AppServer.Tests.Infrastructure;
using AppServer.Tests.Instances;
using CallApi.Emulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using static AppServer.Tests.EndToEnd.EndToEndFixture;

namespace AppServer.Tests.EndToEnd;

/// <summary>
/// The CallAPI emulator and two AppServer instances sharing one PostgreSQL database. The emulator delivers its webhooks to
/// the first instance; agents act through the second; each instance's own URLs (PublicBaseUrl) bring the platform's later
/// requests for the calls it moved back to it, as a load balancer with affinity would.
/// </summary>
public sealed class TwoInstanceEmulatorFixture : IAsyncLifetime
{
    public const string AccountSid = "ACe2e00000000000000000000000000002";
    public const string AuthToken = "e2e-two-token";

    /// <summary>The emulator's answers to live-call modifications wait this long, so two concurrent transfers overlap.</summary>
    public static readonly TimeSpan ModifyDelay = TimeSpan.FromMilliseconds(300);

    private int _callers;

    public WebApplication Emulator { get; private set; } = null!;
    public PostgresDatabase Database { get; private set; } = null!;
    public AppInstance First { get; private set; } = null!;
    public AppInstance Second { get; private set; } = null!;
    public HttpClient Platform { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Emulator = EmulatorApp.Build(["--Logging:LogLevel:Default=Warning"], o =>
        {
            o.Urls = "http://127.0.0.1:0";
            o.AccountSid = AccountSid;
            o.AuthToken = AuthToken;
            o.RegisteredClients = ["alice", "bob", "carol"];
            o.Numbers.Clear();
            o.Scenario.DefaultOutcome = "answered";
            o.Scenario.RingDelayMs = 5;
            o.Scenario.MoveDelayMs = 40;
            o.Scenario.MovePartnerDelayMs = 80;
            o.Scenario.Parties.Clear();
            o.HttpTimeoutSeconds = 15;
        }, services => services.AddTransient<IStartupFilter, SlowModifications>());
        await Emulator.StartAsync();
        var platform = Emulator.BoundAddress();

        Database = new PostgresDatabase();
        AppInstance Instance(int port) => new(new AppServerFactory(port: port, postgres: Database, settings: new Dictionary<string, string?>
        {
            ["CallApi:BaseUrl"] = $"{platform.GetLeftPart(UriPartial.Authority)}/restcomm",
            ["CallApi:AccountSid"] = AccountSid,
            ["CallApi:AuthToken"] = AuthToken,
            ["CallApi:TimeoutSeconds"] = "5",
            ["AppServer:PublicBaseUrl"] = $"http://127.0.0.1:{port}",
        }));
        First = Instance(FreePort());
        Second = Instance(FreePort());
        await Task.WhenAll(Task.Run(First.Start), Task.Run(Second.Start));
        foreach (var app in new[] { First, Second }) (await app.Agent.GetAsync("/calls?limit=1")).EnsureSuccessStatusCode();

        var first = First.Factory.BaseAddress.GetLeftPart(UriPartial.Authority);
        Emulator.Services.GetRequiredService<EmulatorOptions>().Numbers["*"] = new NumberRoute
        {
            Url = first + "/incoming", Method = "POST", FallbackUrl = first + "/fallback", StatusCallback = first + "/status",
        };
        Platform = new HttpClient { BaseAddress = platform, Timeout = TimeSpan.FromSeconds(15) };
        Platform.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")));
    }

    public async Task DisposeAsync()
    {
        Platform?.Dispose();
        if (First is not null) await First.DisposeAsync();
        if (Second is not null) await Second.DisposeAsync();
        Database?.Dispose();
        if (Emulator is not null) await Emulator.DisposeAsync();
    }

    public string NewCaller() => $"+1555777{Interlocked.Increment(ref _callers):D4}";

    public async Task IdleAsync() =>
        Assert.True(await Emulator.WaitForIdleAsync(TimeSpan.FromSeconds(20)), "the emulator did not become idle in time");

    /// <summary>A call from <paramref name="from"/> to the support number; the caller's sid, once the emulator is idle.</summary>
    public async Task<string> IncomingAsync(string from)
    {
        var response = await Platform.PostAsync("/emulator/incoming", Form(("From", from), ("To", SupportDid)));
        Assert.True(response.IsSuccessStatusCode, $"/emulator/incoming answered {(int)response.StatusCode}");
        var sid = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sid").GetString()!;
        await IdleAsync();
        return sid;
    }

    /// <summary>The emulator's leg bridged to <paramref name="sid"/>, as its state view shows it.</summary>
    public async Task<string?> PartnerAddressAsync(string sid)
    {
        var state = await Platform.GetFromJsonAsync<JsonElement>("/emulator/state?all=true");
        var legs = state.GetProperty("calls").EnumerateArray().ToList();
        var partner = BridgedTo(legs.Single(l => SidOf(l) == sid));
        return partner is null ? null : ToOf(legs.Single(l => SidOf(l) == partner));
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Holds each POST to a live call (a modification) for <see cref="ModifyDelay"/> before the emulator runs it.</summary>
    private sealed class SlowModifications : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(async (HttpContext http, RequestDelegate rest) =>
            {
                if (HttpMethods.IsPost(http.Request.Method) && http.Request.Path.Value is { } path && path.Contains("/Calls/")
                    && path.EndsWith(".json", StringComparison.Ordinal))
                    await Task.Delay(ModifyDelay);
                await rest(http);
            });
            next(app);
        };
    }
}

/// <summary>SPEC §10 end to end: the webhook lands on one instance, the transfer is made on the other, both consoles see it.</summary>
public sealed class TwoInstanceEndToEndTests(TwoInstanceEmulatorFixture e2e) : IClassFixture<TwoInstanceEmulatorFixture>
{
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Webhook_on_instance_one_transfer_on_instance_two_and_both_consoles_see_it()
    {
        await using var console1 = await EventStreamReader.OpenAsync(e2e.First.Agent);
        await using var console2 = await EventStreamReader.OpenAsync(e2e.Second.Agent);
        await console1.NextAsync(EventWait);
        await console2.NextAsync(EventWait);

        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        Assert.Equal("client:bob", await e2e.PartnerAddressAsync(sid));
        foreach (var console in new[] { console1, console2 })
            await console.NextMatchingAsync(e => e.Data.Calls.Any(c => c.CallSid == sid && c.Agent == "bob"), EventWait);

        var transfer = await e2e.Second.Agent.PostActionAsync("/transfer", new { callSid = sid, to = "alice", mode = "cold" });
        Assert.Equal("completed", transfer.State);
        await e2e.IdleAsync();

        Assert.Equal("client:alice", await e2e.PartnerAddressAsync(sid));
        foreach (var console in new[] { console1, console2 })
        {
            var seen = await console.NextMatchingAsync(e => e.Data.Calls.Any(c =>
                c.CallSid == sid && c.Agent == "alice" && c.Transfers.Any(t => t.Id == transfer.Id && t.Outcome == "connected")),
                EventWait);
            Assert.Equal("calls", seen.Type);
        }
        foreach (var app in new[] { e2e.First, e2e.Second })
        {
            var stored = await app.Agent.GetCallAsync(sid);
            Assert.Equal("alice", stored.Agent);
            Assert.Equal("connected", Assert.Single(stored.Transfers).Outcome);
        }
    }

    [Fact]
    public async Task Duplicate_webhooks_split_across_instances_make_one_row_with_every_parameter()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        // The platform retries the same webhook, and a load balancer sends each try elsewhere.
        var retries = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
        {
            var parameters = Webhook.RestcommIncoming(sid, from: "ignored", to: SupportDid);
            parameters["CallStatus"] = "ringing";
            parameters[$"Retry{i}"] = "yes";
            return (i % 2 == 0 ? e2e.First : e2e.Second).Client.PostFormAsync("/incoming", parameters);
        }));

        Assert.All(retries, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var calls = await e2e.Second.Agent.ListCallsAsync();
        var call = Assert.Single(calls, c => c.CallSid == sid);
        Assert.Equal("in-progress", call.CallStatus); // the late "ringing" did not move it back
        for (var i = 0; i < 10; i++) Assert.Equal("yes", call.Parameters[$"Retry{i}"]);
    }

    [Fact]
    public async Task Concurrent_transfers_split_across_instances_one_is_carried_out_the_other_gets_409()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller());

        var responses = await Task.WhenAll(
            e2e.First.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" }),
            e2e.Second.PostTransferAsync(new { callSid = sid, to = "carol", mode = "cold" }));
        await e2e.IdleAsync();

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ReadTransferAsync();
        Assert.Equal(winner.To == "alice" ? "client:alice" : "sip:carol@example.com", await e2e.PartnerAddressAsync(sid));
        var stored = await e2e.First.Agent.GetCallAsync(sid);
        Assert.Equal(winner.Id, Assert.Single(stored.Transfers).Id);
    }
}
