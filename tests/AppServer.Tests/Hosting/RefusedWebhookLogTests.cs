using System.Net;
using System.Text;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace AppServer.Tests.Hosting;

/// <summary>
/// Every refused webhook is one Warning naming the route, the status, the reason and the remote address — never the
/// secret, neither the configured token nor the one presented.
/// </summary>
public class RefusedWebhookLogTests
{
    private const string Token = "configured-hook-token";
    private const string Presented = "guessed-hook-token";

    [Fact]
    public async Task A_wrong_token_is_logged_as_a_refusal_without_either_token()
    {
        await using var factory = Factory(new() { ["AppServer:Webhooks:Token"] = Token });

        var form = Webhook.RestcommIncoming(Webhook.NewCallSid());

        var response = await factory.CreateClient().PostFormAsync("/incoming?token=" + Presented, form);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var line = Assert.Single(Refusals(factory));
        Assert.Equal("Webhook /incoming from 127.0.0.1 refused (401): wrong webhook token", line.Message);
        Assert.DoesNotContain(factory.Logs.Logs, l => l.Message.Contains(Token, StringComparison.Ordinal)
            || l.Message.Contains(Presented, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_caller_outside_the_allowed_networks_is_logged_as_a_refusal()
    {
        await using var factory = Factory(new() { ["AppServer:Webhooks:AllowedNetworks:0"] = "10.0.0.0/8" });

        var response = await factory.CreateClient().PostFormAsync("/status", Webhook.RestcommIncoming(Webhook.NewCallSid()));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Webhook /status from 127.0.0.1 refused (403): outside AppServer:Webhooks:AllowedNetworks",
            Assert.Single(Refusals(factory)).Message);
    }

    [Fact]
    public async Task A_bad_CallSid_is_logged_as_a_refusal_naming_the_field()
    {
        await using var factory = Factory();
        var form = Webhook.RestcommIncoming("not a call sid");

        var response = await factory.CreateClient().PostFormAsync("/incoming", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var line = Assert.Single(Refusals(factory));
        Assert.StartsWith("Webhook /incoming from 127.0.0.1 refused (400): CallSid: ", line.Message);
    }

    [Theory]
    [InlineData("application/json", "{\"CallSid\":\"x\"}", HttpStatusCode.UnsupportedMediaType, "(415): content type 'application/json'")]
    [InlineData("application/x-www-form-urlencoded", null, HttpStatusCode.RequestEntityTooLarge, "(413): body over 65536 bytes")]
    [InlineData("application/x-www-form-urlencoded", "CallSid=ID1%01", HttpStatusCode.BadRequest, "(400): control character in CallSid")]
    public async Task A_body_that_cannot_be_read_is_logged_as_a_refusal_with_the_token_configured_or_not(
        string contentType, string? body, HttpStatusCode status, string reason)
    {
        foreach (var token in new[] { "", Token })
        {
            await using var factory = Factory(new() { ["AppServer:Webhooks:Token"] = token });
            var content = new StringContent(body ?? "From=" + new string('a', 70 * 1024), Encoding.UTF8);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);

            var response = await factory.CreateClient().PostAsync("/dial-action?token=" + token, content);

            Assert.Equal(status, response.StatusCode);
            var line = Assert.Single(Refusals(factory));
            Assert.StartsWith("Webhook /dial-action from 127.0.0.1 refused ", line.Message);
            Assert.Contains(reason, line.Message);
        }
    }

    [Fact]
    public async Task An_RCML_route_logs_an_unreadable_body_too()
    {
        await using var factory = Factory();
        var content = new StringContent("{}", Encoding.UTF8, "application/json");

        var response = await factory.CreateClient().PostAsync("/CallToAlice", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.StartsWith("Webhook /CallToAlice from 127.0.0.1 refused (415)", Assert.Single(Refusals(factory)).Message);
    }

    private static AppServerFactory Factory(Dictionary<string, string?>? settings = null) => new(settings);

    private static List<CapturedLog> Refusals(AppServerFactory factory) =>
        factory.Logs.Logs.Where(l => l.Level == LogLevel.Warning && l.Message.StartsWith("Webhook ", StringComparison.Ordinal)).ToList();
}
