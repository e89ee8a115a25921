using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using AppServer.Configuration;
using AppServer.Security;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;

namespace AppServer.Webhooks;

/// <summary>
/// Proves a webhook comes from the platform. Restcomm does not sign requests (docs/platform.md §2.1), so AppServer
/// checks (each only when configured): the caller's network, a shared token, and Twilio's signature — over the
/// request's bound <see cref="PlatformRequest"/>. Every refusal is logged with the route, the reason and the remote
/// address, never the secret.
/// </summary>
public sealed class WebhookAuthentication(IOptionsMonitor<AppServerOptions> options, FailedAuthenticationLimiter guesses,
    ILogger<WebhookAuthentication> logger)
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, PlatformRequest request, EndpointFilterDelegate next)
    {
        var settings = options.CurrentValue;
        var webhooks = settings.Webhooks;
        // Nothing configured to check: no async frame of our own around every webhook.
        return webhooks.AllowedNetworks.Length == 0 && webhooks.Token.Length == 0 && webhooks.TwilioSignatureKey.Length == 0
            ? next(context)
            : CheckAsync(context, request, next, settings);
    }

    private async ValueTask<object?> CheckAsync(
        EndpointFilterInvocationContext context, PlatformRequest request, EndpointFilterDelegate next,
        AppServerOptions settings)
    {
        var http = context.HttpContext;
        var webhooks = settings.Webhooks;

        if (webhooks.AllowedNetworks.Length > 0)
        {
            var remote = http.Connection.RemoteIpAddress;
            if (!NetworkList.Contains(webhooks.ParsedAllowedNetworks(), remote))
            {
                Refused(http, 403, "outside AppServer:Webhooks:AllowedNetworks");
                return Problems.Status(StatusCodes.Status403Forbidden, "Caller not allowed",
                    $"Webhooks are accepted only from AppServer:Webhooks:AllowedNetworks; {remote} is outside them.");
            }
        }

        if (webhooks.Token.Length == 0 && webhooks.TwilioSignatureKey.Length == 0) return await next(context);
        if (request.Unreadable(http, logger) is { } unreadable) return unreadable;

        if (webhooks.Token.Length > 0)
        {
            var presented = PresentedToken(http, request);
            if (!SecretComparer.AreEqual(presented, webhooks.Token))
            {
                Refused(http, 401, presented is null ? "no webhook token" : "wrong webhook token");
                if (presented is not null) guesses.Failed(http.Connection.RemoteIpAddress);
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"AppServer webhooks\"";
                return Problems.Status(StatusCodes.Status401Unauthorized, "Webhook token required",
                    "This webhook needs the token configured in AppServer:Webhooks:Token, as token=… or as the HTTP Basic password.");
            }
        }
        if (webhooks.TwilioSignatureKey.Length > 0 && !HasValidTwilioSignature(http, request, settings))
        {
            Refused(http, 401, "missing or invalid X-Twilio-Signature");
            guesses.Failed(http.Connection.RemoteIpAddress);
            return Problems.Status(StatusCodes.Status401Unauthorized, "Invalid signature",
                "X-Twilio-Signature is missing or does not match this request.");
        }
        return await next(context);
    }

    private void Refused(HttpContext http, int status, string reason) => logger.Refused(http, status, reason);

    private static string? PresentedToken(HttpContext http, PlatformRequest request)
    {
        if (request.Token is { } token) return token;
        if (AuthenticationHeaderValue.TryParse(http.Request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is not null)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
                var colon = decoded.IndexOf(':');
                return colon < 0 ? null : decoded[(colon + 1)..];
            }
            catch (FormatException) { return null; }
        }
        return null;
    }

    /// <summary>Twilio: Base64(HMAC-SHA1(key, URL + each POST parameter name+value sorted by name)).</summary>
    private static bool HasValidTwilioSignature(HttpContext http, PlatformRequest request, AppServerOptions settings)
    {
        var presented = http.Request.Headers["X-Twilio-Signature"].ToString();
        if (presented.Length == 0) return false;
        var pathAndQuery = http.Request.PathBase + http.Request.Path + http.Request.QueryString;
        // The platform signs the URL it called: our public URL, or the URL as received when no proxy sits between.
        string[] candidateUrls = [settings.BaseUrl + pathAndQuery, http.Request.GetEncodedUrl()];
        var form = new StringBuilder();
        if (HttpMethods.IsPost(http.Request.Method) && http.Request.HasFormContentType)
        {
            var query = http.Request.Query;
            IEnumerable<KeyValuePair<string, string>> posted = request.Parameters.Where(p => !query.ContainsKey(p.Key));
            if (request.TokenInForm && request.Token is { } token)
                posted = posted.Append(KeyValuePair.Create(PlatformRequest.TokenParameter, token));
            foreach (var (name, value) in posted.OrderBy(p => p.Key, StringComparer.Ordinal))
                form.Append(name).Append(value);
        }
        var key = Encoding.UTF8.GetBytes(settings.Webhooks.TwilioSignatureKey);
        var valid = false;
        foreach (var url in candidateUrls.Distinct())
        {
            var expected = Convert.ToBase64String(HMACSHA1.HashData(key, Encoding.UTF8.GetBytes(url + form)));
            valid |= SecretComparer.AreEqual(presented, expected);
        }
        return valid;
    }
}

public static class WebhookAuthenticationExtensions
{
    /// <summary>Applies AppServer:Webhooks (allowlist, token, Twilio signature) to every endpoint of the group.</summary>
    public static TBuilder RequireWebhookAuthentication<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var index = PlatformRequestArgument.IndexIn(factory, nameof(RequireWebhookAuthentication));
            var authentication = factory.ApplicationServices.GetRequiredService<WebhookAuthentication>();
            return invocation => authentication.InvokeAsync(invocation, invocation.GetArgument<PlatformRequest>(index), next);
        }).ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status429TooManyRequests);
}
