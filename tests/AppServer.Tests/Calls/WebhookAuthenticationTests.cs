using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using AppServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AppServer.Tests.Infrastructure.ProblemAssert;

namespace AppServer.Tests.Calls;

public sealed class TokenProtectedAppFixture : AppServerFixture
{
    public const string Token = "s3cret-webhook-token";
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["AppServer:Webhooks:Token"] = Token };
}

public class WebhookTokenTests(TokenProtectedAppFixture app) : IClassFixture<TokenProtectedAppFixture>
{
    private const string Token = TokenProtectedAppFixture.Token;

    private Task<int> RowsFor(string callSid) => app.Factory.QueryDatabaseAsync(db => db.Calls.CountAsync(c => c.CallSid == callSid));

    [Fact]
    public async Task Webhook_without_the_token_is_refused_with_401_and_not_stored()
    {
        var sid = Webhook.NewCallSid();
        var response = await app.Client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid));

        await AssertProblem(response, HttpStatusCode.Unauthorized, null);
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(0, await RowsFor(sid));
    }

    [Fact]
    public async Task Wrong_token_is_refused()
    {
        var sid = Webhook.NewCallSid();
        var response = await app.Client.PostFormAsync("/incoming?token=wrong", Webhook.RestcommIncoming(sid));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await RowsFor(sid));
    }

    [Fact]
    public async Task Token_in_the_query_string_is_accepted()
    {
        var sid = Webhook.NewCallSid();
        var response = await app.Client.GetWithQueryAsync("/incoming",
            new Dictionary<string, string>(Webhook.RestcommIncoming(sid)) { ["token"] = Token });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await RowsFor(sid));
    }

    [Fact]
    public async Task Token_moved_into_the_form_body_is_accepted_and_not_stored()
    {
        // Restcomm moves the configured URL's query string into the POST body.
        var sid = Webhook.NewCallSid();
        var response = await app.Client.PostFormAsync("/incoming",
            new Dictionary<string, string>(Webhook.RestcommIncoming(sid)) { ["token"] = Token });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var parameters = await app.Factory.QueryDatabaseAsync(db =>
            db.Calls.Where(c => c.CallSid == sid).Select(c => c.Parameters).SingleAsync());
        Assert.False(parameters.ContainsKey("token"));
    }

    [Fact]
    public async Task Token_as_the_basic_auth_password_is_accepted()
    {
        var sid = Webhook.NewCallSid();
        var request = new HttpRequestMessage(HttpMethod.Post, "/status")
        {
            Content = new FormUrlEncodedContent(Webhook.RestcommIncoming(sid)),
        };
        request.Headers.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("restcomm:" + Token)));
        var response = await app.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, await RowsFor(sid));
    }

    [Fact]
    public async Task Rcml_urls_handed_to_the_platform_carry_the_token()
    {
        var response = await app.Client.PostFormAsync("/incoming",
            new Dictionary<string, string>(Webhook.RestcommIncoming(Webhook.NewCallSid())) { ["token"] = Token });
        Assert.Contains("dial-action?token=" + Token, await response.Content.ReadAsStringAsync());
    }
}

public class WebhookNetworkAndSignatureTests
{
    private static async Task<HttpStatusCode> Deliver(
        AppServerFactory factory, Action<HttpRequestMessage>? decorate = null, string path = "/status")
    {
        factory.StartServer();
        using var client = factory.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(Webhook.RestcommIncoming(Webhook.NewCallSid())),
        };
        decorate?.Invoke(request);
        return (await client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Caller_outside_the_allowed_networks_gets_403()
    {
        await using var factory = new AppServerFactory(
            new Dictionary<string, string?> { ["AppServer:Webhooks:AllowedNetworks:0"] = "10.0.0.0/8" });
        Assert.Equal(HttpStatusCode.Forbidden, await Deliver(factory));
    }

    [Fact]
    public async Task Caller_inside_the_allowed_networks_is_accepted()
    {
        await using var factory = new AppServerFactory(
            new Dictionary<string, string?> { ["AppServer:Webhooks:AllowedNetworks:0"] = "127.0.0.0/8" });
        Assert.Equal(HttpStatusCode.OK, await Deliver(factory));
    }

    [Fact]
    public async Task Forwarded_for_is_ignored_unless_the_proxy_is_trusted()
    {
        var allowlist = new Dictionary<string, string?> { ["AppServer:Webhooks:AllowedNetworks:0"] = "10.0.0.0/8" };
        void FromPlatformViaProxy(HttpRequestMessage r) => r.Headers.Add("X-Forwarded-For", "10.1.2.3");

        await using (var untrusted = new AppServerFactory(allowlist))
            Assert.Equal(HttpStatusCode.Forbidden, await Deliver(untrusted, FromPlatformViaProxy));

        await using var trusted = new AppServerFactory(
            new Dictionary<string, string?>(allowlist) { ["AppServer:TrustedProxies:0"] = "127.0.0.1" });
        Assert.Equal(HttpStatusCode.OK, await Deliver(trusted, FromPlatformViaProxy));
    }

    [Fact]
    public async Task Twilio_signature_is_checked_when_a_key_is_configured()
    {
        const string key = "twilio-auth-token";
        await using var factory = new AppServerFactory(new Dictionary<string, string?> { ["AppServer:Webhooks:TwilioSignatureKey"] = key });
        var parameters = Webhook.RestcommIncoming(Webhook.NewCallSid());
        var signed = "http://appserver.test/status" +
                     string.Concat(parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + p.Value));
        var signature = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(signed)));

        factory.StartServer();
        using var client = factory.CreateClient();
        var good = new HttpRequestMessage(HttpMethod.Post, "/status") { Content = new FormUrlEncodedContent(parameters) };
        good.Headers.Add("X-Twilio-Signature", signature);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(good)).StatusCode);

        var tampered = new Dictionary<string, string>(parameters) { ["From"] = "mallory" };
        var bad = new HttpRequestMessage(HttpMethod.Post, "/status") { Content = new FormUrlEncodedContent(tampered) };
        bad.Headers.Add("X-Twilio-Signature", signature);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(bad)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await Deliver(factory));
    }

    [Fact]
    public async Task Without_webhook_settings_any_caller_is_accepted()
    {
        await using var factory = new AppServerFactory();
        Assert.Equal(HttpStatusCode.OK, await Deliver(factory));
    }
}
