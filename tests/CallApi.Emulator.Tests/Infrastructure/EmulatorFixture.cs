using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;

namespace CallApi.Emulator.Tests.Infrastructure;

/// <summary>
/// One emulator and one fake application per test class (IClassFixture). Each test takes its own path prefix
/// (<see cref="NewPrefix"/>) and its own party names, so tests in a class cannot read each other's traffic.
/// Subclasses change the emulator's options in <see cref="Configure"/>.
/// </summary>
public class EmulatorFixture : IAsyncLifetime
{
    public const string AccountSid = "ACtest0000000000000000000000000001";
    public const string AuthToken = "test-token";
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);
    private int _prefixes;

    public FakeApplication App { get; } = new();
    public WebApplication Emulator { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;
    public string CallsPath => $"/restcomm/2012-04-24/Accounts/{AccountSid}/Calls";

    public async Task InitializeAsync()
    {
        await App.StartAsync();
        // Keep test output readable: the emulator logs warnings only.
        Emulator = EmulatorApp.Build(["--Logging:LogLevel:Default=Warning"], o =>
        {
            o.Urls = "http://127.0.0.1:0";
            o.AccountSid = AccountSid;
            o.AuthToken = AuthToken;
            o.InstanceId = "test-instance";
            o.RegisteredClients = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar",
                "peggy", "trent", "victor", "walter"];
            o.Numbers["*"] = new NumberRoute { Url = App.Url("/incoming"), Method = "POST" };
            for (var i = 0; i < DidCount; i++)
            {
                o.Numbers[Did(i)] = new NumberRoute
                {
                    Url = App.Url(DidPath(i)), Method = "POST",
                    StatusCallback = App.Url(DidPath(i) + "/status")
                };
            }
            o.Scenario.RingDelayMs = 5;
            // Much shorter than the platform's 500/1000 ms, in the same order: the modified leg first, its partner later.
            o.Scenario.MoveDelayMs = 20;
            o.Scenario.MovePartnerDelayMs = 60;
            o.HttpTimeoutSeconds = 5;
            Configure(o);
        });
        await Emulator.StartAsync();
        Http = new HttpClient { BaseAddress = Emulator.BoundAddress(), Timeout = TimeSpan.FromSeconds(15) };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}")));
    }

    /// <summary>Runs last on the emulator's options.</summary>
    protected virtual void Configure(EmulatorOptions options)
    {
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Emulator.StopAsync();
        await Emulator.DisposeAsync();
        await App.DisposeAsync();
    }

    private const int DidCount = 20;

    /// <summary>DIDs with their own webhook path, so each test scripts its own incoming document.</summary>
    public static string Did(int i) => $"+1555777{i:D4}";

    public static string DidPath(int i) => $"/did/{i}";

    /// <summary>A path prefix no other test in this class uses.</summary>
    public string NewPrefix() => $"/t{Interlocked.Increment(ref _prefixes)}";

    /// <summary>Waits (bounded) until the emulator has no automatic work left; fails the test otherwise.</summary>
    public async Task IdleAsync()
    {
        Assert.True(await Emulator.WaitForIdleAsync(IdleTimeout), "the emulator did not become idle in time");
    }

    public async Task<HttpResponseMessage> PostFormAsync(string path, params (string Key, string Value)[] fields) =>
        await Http.PostAsync(path, new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))));

    /// <summary>POST …/Calls.json and the created call; fails the test on an error answer.</summary>
    public async Task<JsonElement> CreateCallAsync(params (string Key, string Value)[] fields)
    {
        var response = await PostFormAsync(CallsPath + ".json", fields);
        Assert.True(response.IsSuccessStatusCode,
            $"create call answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<HttpResponseMessage> ModifyAsync(string sid, params (string Key, string Value)[] fields) =>
        PostFormAsync($"{CallsPath}/{sid}.json", fields);

    public async Task<JsonElement> IncomingAsync(string from, string to)
    {
        var response = await PostFormAsync("/emulator/incoming", ("From", from), ("To", to));
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> GetCallAsync(string sid)
    {
        var response = await Http.GetAsync($"{CallsPath}/{sid}.json");
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<string> StatusOfAsync(string sid) => (await GetCallAsync(sid)).GetProperty("status").GetString()!;

    /// <summary>Legs a Dial of <paramref name="parentSid"/> created.</summary>
    public async Task<List<JsonElement>> ChildrenOfAsync(string parentSid)
    {
        var list = await Http.GetFromJsonAsync<JsonElement>($"{CallsPath}.json?ParentCallSid={parentSid}");
        return list.GetProperty("calls").EnumerateArray().ToList();
    }

    public async Task<JsonElement> StateAsync() => await Http.GetFromJsonAsync<JsonElement>("/emulator/state");

    /// <summary>The state view of one leg (bridged_to, ringing, conference, activity).</summary>
    public async Task<JsonElement> LegAsync(string sid)
    {
        var state = await Http.GetFromJsonAsync<JsonElement>("/emulator/state?all=true");
        return state.GetProperty("calls").EnumerateArray().Single(c => c.GetProperty("call").GetProperty("sid").GetString() == sid);
    }

    /// <summary>Members (call sids) of a conference room; empty when the room does not exist.</summary>
    public async Task<List<JsonElement>> MembersOfAsync(string room)
    {
        var state = await StateAsync();
        return state.GetProperty("conferences").EnumerateArray()
            .Where(c => c.GetProperty("name").GetString() == room)
            .SelectMany(c => c.GetProperty("members").EnumerateArray())
            .ToList();
    }

    /// <summary>An outgoing call (auto-answered) whose Url answers <paramref name="rcml"/>; returns its sid once idle.</summary>
    public async Task<string> AnsweredCallRunningAsync(string path, string rcml, string to = "+15550006000")
    {
        var sid = (await CreateCallAsync(("From", "+15550001111"), ("To", to), ("Url", App.Script(path,
            rcml)))).GetProperty("sid").GetString()!;
        await IdleAsync();
        return sid;
    }

    /// <summary>
    /// A caller (an outgoing call) whose RCML dials <paramref name="client"/>, who answers; returns (caller, callee) once idle.
    /// </summary>
    public async Task<(string Caller, string Callee)> BridgedCallAsync(string p, string client)
    {
        var caller = await AnsweredCallRunningAsync(p + "/dial", $"<Response><Dial><Client>{client}</Client></Dial></Response>");
        var callee = Assert.Single(await ChildrenOfAsync(caller)).GetProperty("sid").GetString()!;
        Assert.Equal("in-progress", await StatusOfAsync(callee));
        return (caller, callee);
    }

    /// <summary>What a leg hears (GET /emulator/calls/{sid}/hears): kind, call_sids, room, url.</summary>
    public async Task<Hears> HearsAsync(string sid)
    {
        var hears = await Http.GetFromJsonAsync<JsonElement>($"/emulator/calls/{sid}/hears");
        return Hears.Of(hears);
    }

    /// <summary>What the emulated media did on a leg (say/play/dial/… entries).</summary>
    public async Task<List<string>> ActivityOfAsync(string sid) =>
        (await LegAsync(sid)).GetProperty("activity").EnumerateArray().Select(a => a.GetString()!).ToList();

    public async Task ControlAsync(string sid, string action, params (string Key, string Value)[] fields)
    {
        var response = await PostFormAsync($"/emulator/calls/{sid}/{action}", fields);
        Assert.True(response.IsSuccessStatusCode,
            $"{action} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>A loopback URL nothing listens on: the application is "down".</summary>
    public static string UnreachableUrl(string path)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}{path}";
    }
}

/// <summary>
/// The hears object of a leg, for assertions: Hears.Partner(bob), Hears.InRoom("r", a, b), Hears.Music(url) …
/// CallSids are sorted and joined, so the order in which members joined does not matter.
/// </summary>
public sealed record Hears(string Kind, string CallSids, string? Room, string? Url)
{
    public static Hears Of(JsonElement json) => new(
        json.GetProperty("kind").GetString()!,
        Sids(json.GetProperty("call_sids").EnumerateArray().Select(s => s.GetString()!)),
        json.GetProperty("room").GetString(),
        json.GetProperty("url").GetString());

    public static Hears Partner(string sid) => new("partner", sid, null, null);

    public static Hears InRoom(string room, params string[] sids) => new("conference", Sids(sids), room, null);

    public static Hears Music(string url, string? room = null) => new("music", "", room, url);

    public static Hears Ringback => new("ringback", "", null, null);

    public static Hears Silence(string? room = null) => new("silence", "", room, null);

    private static string Sids(IEnumerable<string> sids) => string.Join(",", sids.Order(StringComparer.Ordinal));
}
