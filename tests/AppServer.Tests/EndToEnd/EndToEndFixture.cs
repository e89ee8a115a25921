using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using AppServer.Tests.Infrastructure;
using CallApi.Emulator;
using CallApi.Emulator.Control;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.EndToEnd;

/// <summary>
/// The CallAPI emulator and AppServer, both on real 127.0.0.1 ports, pointed at each other: AppServer's CallApi
/// section targets the emulator's REST API, the emulator's DIDs call AppServer's webhooks. One per test class;
/// every test places its own calls (its own caller number), so tests never read each other's legs.
/// </summary>
public sealed class EndToEndFixture : IAsyncLifetime
{
    public const string AccountSid = "ACe2e00000000000000000000000000001";
    public const string AuthToken = "e2e-token";

    /// <summary>Routed (emulator → AppServer /incoming, AppServer Numbers → bob).</summary>
    public const string SupportDid = "+15550001000";

    /// <summary>Routed to agent dave, who never picks up on his own (scenario "manual"): his Dial target keeps ringing.</summary>
    public const string SlowAgentDid = "+15550002000";

    /// <summary>The emulator's webhook for this DID points at a closed port; its FallbackUrl is AppServer's /fallback.</summary>
    public const string AppDownDid = "+15550009001";

    /// <summary>The webhook for this DID is an AppServer route answering 404 (no such agent); FallbackUrl is /fallback.</summary>
    public const string AppErrorDid = "+15550009002";

    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(20);
    private int _callers;

    public WebApplication Emulator { get; private set; } = null!;
    public AppServerFactory AppServer { get; private set; } = null!;

    /// <summary>AppServer's agent API (X-Api-Key).</summary>
    public HttpClient Agent { get; private set; } = null!;

    /// <summary>The emulator: control endpoints and (Basic auth) its REST API.</summary>
    public HttpClient Platform { get; private set; } = null!;

    public string CallsPath => $"/restcomm/2012-04-24/Accounts/{AccountSid}/Calls";

    public async Task InitializeAsync()
    {
        // 1. The emulator on a free port, with a placeholder route: AppServer's address is not known yet.
        Emulator = EmulatorApp.Build(["--Logging:LogLevel:Default=Warning"], o =>
        {
            o.Urls = "http://127.0.0.1:0";
            o.AccountSid = AccountSid;
            o.AuthToken = AuthToken;
            o.RegisteredClients = ["alice", "bob", "carol", "dave"];
            o.Numbers.Clear();
            o.Scenario.DefaultOutcome = "answered";
            o.Scenario.RingDelayMs = 5;
            // The platform moves a modified leg after ~500 ms and its partner after ~1000 ms; keep that order, not the wait.
            o.Scenario.MoveDelayMs = 40;
            o.Scenario.MovePartnerDelayMs = 80;
            o.Scenario.Parties.Clear();
            // Generous: the first webhook after AppServer starts can be slow on a loaded machine, and a timeout would
            // send the call to the FallbackUrl. The "application down" DID fails fast (connection refused).
            o.HttpTimeoutSeconds = 15;
        });
        await Emulator.StartAsync();
        var platform = Emulator.BoundAddress();

        // 2. AppServer on a pre-reserved port, so PublicBaseUrl (every Url= it sends) is its real address.
        var appPort = FreeLoopbackPort();
        var app = $"http://127.0.0.1:{appPort}";
        AppServer = new AppServerFactory(port: appPort, settings: new Dictionary<string, string?>
        {
            ["CallApi:BaseUrl"] = $"{platform.GetLeftPart(UriPartial.Authority)}/restcomm",
            ["CallApi:AccountSid"] = AccountSid,
            ["CallApi:AuthToken"] = AuthToken,
            ["CallApi:TimeoutSeconds"] = "5",
            ["AppServer:PublicBaseUrl"] = app,
            ["Agents:dave"] = "client:dave",
            [$"Numbers:{SlowAgentDid}:Agent"] = "dave",
        });
        AppServer.StartServer();
        Assert.Equal(appPort, AppServer.BaseAddress.Port);
        Agent = AppServer.CreateAgentClient();
        // Warm up (routing, database) before the first webhook the emulator sends.
        (await Agent.GetAsync("/health")).EnsureSuccessStatusCode();
        (await Agent.GetAsync("/calls?limit=1")).EnsureSuccessStatusCode();

        // 3. Now that AppServer listens, route the emulator's DIDs to it. EmulatorOptions is the singleton the
        //    engine reads on every incoming call, so its routes can change at run time.
        var options = Emulator.Services.GetRequiredService<EmulatorOptions>();
        options.Numbers["*"] = Route(app + "/incoming", app);
        options.Numbers[AppDownDid] = Route(EmulatorFixtureUrls.Unreachable("/incoming"), app);
        options.Numbers[AppErrorDid] = Route(app + "/CallToNobody", app);
        Emulator.Scenario().Set("client:dave", "manual");

        Platform = new HttpClient { BaseAddress = platform, Timeout = TimeSpan.FromSeconds(15) };
        Platform.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")));
    }

    private static NumberRoute Route(string url, string app) => new()
    {
        Url = url,
        Method = "POST",
        FallbackUrl = app + "/fallback",
        StatusCallback = app + "/status",
    };

    public async Task DisposeAsync()
    {
        Platform?.Dispose();
        Agent?.Dispose();
        if (AppServer is not null) await AppServer.DisposeAsync();
        if (Emulator is not null) await Emulator.DisposeAsync();
    }

    /// <summary>A caller number no other test of the class uses.</summary>
    public string NewCaller() => $"+1555123{Interlocked.Increment(ref _callers):D4}";

    /// <summary>Waits (bounded) until the emulator runs no RCML, ring timer or callback; fails the test otherwise.</summary>
    public async Task IdleAsync() =>
        Assert.True(await Emulator.WaitForIdleAsync(IdleTimeout), "the emulator did not become idle in time");

    /// <summary>POST /emulator/incoming; the sid of the caller's leg, once the emulator is idle again.</summary>
    public async Task<string> IncomingAsync(string from, string to = SupportDid)
    {
        var response = await Platform.PostAsync("/emulator/incoming", Form(("From", from), ("To", to)));
        Assert.True(response.IsSuccessStatusCode,
            $"/emulator/incoming answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        var sid = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sid").GetString()!;
        await IdleAsync();
        return sid;
    }

    public async Task ControlAsync(string sid, string action)
    {
        var response = await Platform.PostAsync($"/emulator/calls/{sid}/{action}", Form());
        Assert.True(response.IsSuccessStatusCode,
            $"{action} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Every leg the emulator knows (ended ones too), with bridged_to, ringing, conference and activity.</summary>
    public async Task<List<JsonElement>> LegsAsync()
    {
        var state = await Platform.GetFromJsonAsync<JsonElement>("/emulator/state?all=true");
        return state.GetProperty("calls").EnumerateArray().ToList();
    }

    public async Task<JsonElement> LegAsync(string sid) =>
        (await LegsAsync()).Single(l => SidOf(l) == sid);

    public static string SidOf(JsonElement leg) => leg.GetProperty("call").GetProperty("sid").GetString()!;

    public static string StatusOf(JsonElement leg) => leg.GetProperty("call").GetProperty("status").GetString()!;

    public static string ToOf(JsonElement leg) => leg.GetProperty("call").GetProperty("to").GetString()!;

    public static string? BridgedTo(JsonElement leg) =>
        leg.GetProperty("bridged_to").ValueKind == JsonValueKind.String ? leg.GetProperty("bridged_to").GetString() : null;

    public static List<string> ActivityOf(JsonElement leg) =>
        leg.GetProperty("activity").EnumerateArray().Select(a => a.GetString()!).ToList();

    /// <summary>The leg the emulator shows bridged to <paramref name="sid"/>, or null.</summary>
    public async Task<JsonElement?> PartnerOfAsync(string sid)
    {
        var legs = await LegsAsync();
        var partner = BridgedTo(legs.Single(l => SidOf(l) == sid));
        return partner is null ? null : legs.Single(l => SidOf(l) == partner);
    }

    /// <summary>Members (call sid, to, muted) of a conference room in the emulator; empty when there is no such room.</summary>
    public async Task<List<JsonElement>> MembersOfAsync(string room)
    {
        var state = await Platform.GetFromJsonAsync<JsonElement>("/emulator/state");
        return state.GetProperty("conferences").EnumerateArray()
            .Where(c => c.GetProperty("name").GetString() == room)
            .SelectMany(c => c.GetProperty("members").EnumerateArray())
            .ToList();
    }

    /// <summary>The call as the emulator's REST API answers it (GET …/Calls/{sid}.json).</summary>
    public async Task<JsonElement> PlatformCallAsync(string sid) =>
        await Platform.GetFromJsonAsync<JsonElement>($"{CallsPath}/{sid}.json");

    /// <summary>The emulator's state with typed legs and rooms (snake_case JSON, as the emulator writes it).</summary>
    public async Task<EmulatorState> StateAsync() =>
        (await Platform.GetFromJsonAsync<EmulatorState>("/emulator/state?all=true", EmulatorJson))!;

    /// <summary>What the person on leg <paramref name="sid"/> hears now; null once the leg ended.</summary>
    public async Task<HearsView?> HearsAsync(string sid) =>
        await Platform.GetFromJsonAsync<HearsView?>($"/emulator/calls/{sid}/hears", EmulatorJson);

    /// <summary>Waits (bounded) until <paramref name="sid"/> hears what <paramref name="expected"/> says, and returns it.</summary>
    public async Task<HearsView> HearsEventuallyAsync(string sid, Func<HearsView, bool> expected, string what)
    {
        HearsView? hears = null;
        await Eventually.HoldsAsync(async () => (hears = await HearsAsync(sid)) is not null && expected(hears),
            $"{what} (hears {hears?.Kind} {string.Join(",", hears?.CallSids ?? [])} {hears?.Room} {hears?.Url})");
        return hears!;
    }

    private static readonly JsonSerializerOptions EmulatorJson = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    private static int FreeLoopbackPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static class EmulatorFixtureUrls
    {
        /// <summary>A loopback URL nothing listens on: the application is "down".</summary>
        public static string Unreachable(string path) => $"http://127.0.0.1:{FreeLoopbackPort()}{path}";
    }
}

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndFixture>
{
    public const string Name = "EndToEnd";
}
