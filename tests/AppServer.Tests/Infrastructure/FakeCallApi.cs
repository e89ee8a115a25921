using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AppServer.Tests.Infrastructure;

/// <summary>One request the fake CallAPI received.</summary>
public sealed record RecordedRequest(
    string Method, string Path, string Query, string? ContentType,
    IReadOnlyDictionary<string, string> Headers, IReadOnlyList<KeyValuePair<string, string>> Form)
{
    public string? Authorization => Headers.GetValueOrDefault("Authorization");

    /// <summary>The single value of a form field, or null when it was not sent.</summary>
    public string? Field(string name) => Form.Where(f => f.Key == name).Select(f => f.Value).SingleOrDefault();

    public bool Has(string name) => Form.Any(f => f.Key == name);

    public IReadOnlyList<string> FieldNames => Form.Select(f => f.Key).Order(StringComparer.Ordinal).ToList();

    public bool Mentions(string text) =>
        Path.Contains(text, StringComparison.Ordinal) || Form.Any(f => f.Value.Contains(text, StringComparison.Ordinal));
}

/// <summary>A scripted answer: status, body and content type, optionally late (timeouts) or a dropped connection.</summary>
public sealed record ScriptedResponse(
    int Status, string Body = "", string ContentType = "text/plain", TimeSpan Delay = default, bool DropConnection = false)
{
    public static ScriptedResponse Text(int status, string text) => new(status, text);
    public static ScriptedResponse Json(int status, string json) => new(status, json, "application/json");
    public static ScriptedResponse Empty(int status) => new(status);
    public static ScriptedResponse Slow(TimeSpan delay) => new(200, "{}", "application/json", delay);
    public static ScriptedResponse Dropped() => new(0, DropConnection: true);
}

/// <summary>
/// A fake Restcomm CallAPI on a real Kestrel port (127.0.0.1:0). It records every request (method, path,
/// headers including Authorization, form fields) and answers with scripted responses (<see cref="When"/>),
/// else like the platform: modify/read → 200 with the call as JSON, create → 200 with a new call, the account → 200.
/// </summary>
public sealed class FakeCallApi : IAsyncDisposable
{
    public const string AccountSid = "ACfake00000000000000000000000000";
    public const string AuthToken = "fake-auth-token";
    public const string PathPrefix = "/restcomm";

    private readonly List<RecordedRequest> _requests = [];
    private readonly List<Rule> _rules = [];
    private readonly Lock _gate = new();
    private WebApplication? _app;

    /// <summary>What to configure as <c>CallApi:BaseUrl</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The account root path every resource lives under.</summary>
    public static string AccountPath => $"{PathPrefix}/2012-04-24/Accounts/{AccountSid}";

    /// <summary>The Authorization header AppServer must send.</summary>
    public static string ExpectedAuthorization => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"));

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Map("{**path}", HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.TrimEnd('/') + PathPrefix;
    }

    public IReadOnlyList<RecordedRequest> Requests
    {
        get { lock (_gate) return _requests.ToList(); }
    }

    /// <summary>Requests whose path or any form value contains <paramref name="text"/> (a CallSid, a room…), in order.</summary>
    public IReadOnlyList<RecordedRequest> RequestsMentioning(string text) => Requests.Where(r => r.Mentions(text)).ToList();

    /// <summary>
    /// Answers requests matching <paramref name="match"/> with <paramref name="response"/> (latest rule wins;
    /// <paramref name="times"/> limits it).
    /// </summary>
    public void When(Func<RecordedRequest, bool> match, ScriptedResponse response, int times = int.MaxValue)
    {
        lock (_gate) _rules.Insert(0, new Rule(match, response) { Remaining = times });
    }

    /// <summary>
    /// Answers every request that mentions <paramref name="text"/> (e.g. a CallSid or room) with <paramref name="response"/>.
    /// </summary>
    public void WhenMentioned(string text, ScriptedResponse response, int times = int.MaxValue) =>
        When(r => r.Mentions(text), response, times);

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var form = new List<KeyValuePair<string, string>>();
        if (request.HasFormContentType)
            foreach (var (key, values) in await request.ReadFormAsync())
                form.AddRange(values.Select(v => KeyValuePair.Create(key, v ?? "")));
        var recorded = new RecordedRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", request.ContentType,
            request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), form);

        ScriptedResponse? scripted;
        lock (_gate)
        {
            _requests.Add(recorded);
            var rule = _rules.FirstOrDefault(r => r.Remaining > 0 && r.Match(recorded));
            if (rule is not null) rule.Remaining--;
            scripted = rule?.Response;
        }
        scripted ??= Default(recorded);

        if (scripted.Delay > TimeSpan.Zero)
        {
            try { await Task.Delay(scripted.Delay, context.RequestAborted); }
            catch (OperationCanceledException) { return; }
        }
        if (scripted.DropConnection)
        {
            context.Abort();
            return;
        }
        context.Response.StatusCode = scripted.Status;
        if (scripted.Status == 401) context.Response.Headers.WWWAuthenticate = "Basic realm=\"Restcomm\"";
        if (scripted.Body.Length > 0)
        {
            context.Response.ContentType = scripted.ContentType;
            await context.Response.WriteAsync(scripted.Body);
        }
    }

    /// <summary>What the platform answers when no rule matches.</summary>
    private static ScriptedResponse Default(RecordedRequest request)
    {
        if (request.Path == AccountPath + ".json" && request.Method == "GET")
            return ScriptedResponse.Json(200,
                JsonSerializer.Serialize(new { sid = AccountSid, friendly_name = "fake", status = "active", type = "Full" }));
        var callsRoot = AccountPath + "/Calls";
        if (request.Path == callsRoot + ".json" && request.Method == "POST")
            return ScriptedResponse.Json(200,
                CallJson("CA" + Guid.NewGuid().ToString("N"), "queued", "outbound-api", request.Field("From"), request.Field("To")));
        if (request.Path.StartsWith(callsRoot + "/", StringComparison.Ordinal) && request.Path.EndsWith(".json", StringComparison.Ordinal))
            return ScriptedResponse.Json(200,
                CallJson(request.Path[(callsRoot.Length + 1)..^".json".Length], "in-progress", "inbound", "alice", "1111"));
        return ScriptedResponse.Text(404, "The requested resource is not available.");
    }

    public static string CallJson(string sid, string status, string direction, string? from, string? to) =>
        JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["sid"] = sid, ["account_sid"] = AccountSid, ["status"] = status, ["direction"] = direction,
            ["from"] = from, ["to"] = to, ["date_created"] = "Mon, 23 Nov 2026 08:00:00 +0000", ["api_version"] = "2012-04-24",
        });

    public async ValueTask DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    private sealed class Rule(Func<RecordedRequest, bool> match, ScriptedResponse response)
    {
        public Func<RecordedRequest, bool> Match { get; } = match;
        public ScriptedResponse Response { get; } = response;
        public int Remaining { get; set; }
    }
}
