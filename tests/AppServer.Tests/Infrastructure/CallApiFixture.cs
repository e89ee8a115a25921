using System.Net;
using System.Net.Http.Json;

namespace AppServer.Tests.Infrastructure;

/// <summary>
/// AppServer wired to a <see cref="FakeCallApi"/> (CallApi:BaseUrl, credentials) and with a webhook token,
/// so every Url= sent to the platform must carry it. Helpers seed calls through the real webhooks.
/// </summary>
public class CallApiFixture : AppServerFixture
{
    public const string PublicBaseUrl = "http://appserver.test";
    public const string WebhookToken = "hook-secret";

    public FakeCallApi CallApi { get; } = new();

    protected virtual int TimeoutSeconds => 5;

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["CallApi:BaseUrl"] = CallApi.BaseUrl,
        ["CallApi:AccountSid"] = FakeCallApi.AccountSid,
        ["CallApi:AuthToken"] = FakeCallApi.AuthToken,
        ["CallApi:TimeoutSeconds"] = TimeoutSeconds.ToString(),
        ["AppServer:PublicBaseUrl"] = PublicBaseUrl,
        ["AppServer:Webhooks:Token"] = WebhookToken,
    };

    public override async Task InitializeAsync()
    {
        await CallApi.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await CallApi.DisposeAsync();
    }

    /// <summary>A public URL as AppServer must send it: base + path (+ query) + the webhook token.</summary>
    public static string Public(string pathAndQuery) =>
        PublicBaseUrl + pathAndQuery + (pathAndQuery.Contains('?') ? "&" : "?") + "token=" + WebhookToken;

    /// <summary>
    /// Posts the platform's incoming-call webhook (routed to agent bob by the default Numbers entry), then
    /// a status callback when <paramref name="status"/> is not "ringing". Returns the new CallSid.
    /// </summary>
    public async Task<string> SeedCallAsync(
        string status = "in-progress", string from = "+15551234567", Action<Dictionary<string, string>>? tweak = null)
    {
        var sid = Webhook.NewCallSid();
        var incoming = Webhook.RestcommIncoming(sid, from: from, to: "+15550001000");
        incoming["token"] = WebhookToken;
        tweak?.Invoke(incoming);
        var response = await Client.PostFormAsync("/incoming", incoming);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (status != "ringing") await PostStatusAsync(sid, status);
        return sid;
    }

    public async Task PostStatusAsync(string sid, string status, IDictionary<string, string>? extra = null)
    {
        var form = new Dictionary<string, string> { ["CallSid"] = sid, ["CallStatus"] = status, ["token"] = WebhookToken };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>()) form[k] = v;
        var response = await Client.PostFormAsync("/status", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// A progress event of a leg the platform dialled for <paramref name="parentSid"/> (docs/platform.md §2.7), posted to
    /// the statusCallback AppServer put on the noun: /status with the agent and transfer it named.
    /// </summary>
    public async Task PostLegProgressAsync(string legSid, string parentSid, string progressEvent, string? agent = "bob",
        string? transfer = null,
        string to = "bob")
    {
        var query = new List<string>();
        if (agent is not null) query.Add("agent=" + agent);
        if (transfer is not null) query.Add("transfer=" + transfer);
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = legSid, ["ParentCallSid"] = parentSid, ["CallStatus"] = progressEvent, ["Direction"] = "outbound-dial",
            ["From"] = "+15551234567", ["To"] = to, ["CallbackSource"] = "call-progress-events", ["token"] = WebhookToken,
        };
        var response = await Client.PostFormAsync("/status" + (query.Count == 0 ? "" : "?" + string.Join("&", query)), form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// The platform fetching one of AppServer's RCML documents for a leg (its parameters in the form, as Restcomm posts them).
    /// </summary>
    public async Task<HttpResponseMessage> FetchRcmlAsync(string pathAndQuery, string callSid, string direction = "inbound",
        string from = "+15551234567", string to = "+15550001000")
    {
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = callSid, ["CallStatus"] = "in-progress", ["Direction"] = direction, ["From"] = from, ["To"] = to,
            ["token"] = WebhookToken,
        };
        var response = await Client.PostFormAsync(pathAndQuery, form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return response;
    }

    public Task<HttpResponseMessage> PostTransferAsync(object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/transfer") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return Agent.SendAsync(request);
    }
}

/// <summary>The same, with CallApi:TimeoutSeconds = 1 so platform timeouts cost one second.</summary>
public sealed class ImpatientCallApiFixture : CallApiFixture
{
    protected override int TimeoutSeconds => 1;
}

/// <summary>A <see cref="CallApiFixture"/> on a fresh database of the shared PostgreSQL test server.</summary>
public sealed class PostgresCallApiFixture : CallApiFixture
{
    protected override TestProvider Provider => TestProvider.PostgreSql;
}
