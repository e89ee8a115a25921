using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using AppServer.Configuration;
using AppServer.Security;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.Extensions.Options;

namespace AppServer.Webhooks;

/// <summary>
/// Proves a webhook comes from the platform. Restcomm does not sign requests, so AppServer checks
/// (each only when configured): the caller's network, a shared token, and Twilio's signature.
/// </summary>
public sealed class WebhookAuthenticationFilter(IOptionsMonitor<AppServerOptions> options, ILogger<WebhookAuthenticationFilter> logger) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var settings = options.CurrentValue;
        var webhooks = settings.Webhooks;
        // Nothing configured to check: no async frame of our own around every webhook.
        return webhooks.AllowedNetworks.Length == 0 && webhooks.Token.Length == 0 && webhooks.TwilioSignatureKey.Length == 0
            ? next(context)
            : CheckAsync(context, next, settings);
    }

    private async ValueTask<object?> CheckAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next, AppServerOptions settings)
    {
        var http = context.HttpContext;
        var webhooks = settings.Webhooks;

        if (webhooks.AllowedNetworks.Length > 0)
        {
            var remote = http.Connection.RemoteIpAddress;
            if (!NetworkList.Contains(webhooks.ParsedAllowedNetworks(), remote))
            {
                logger.LogWarning("Webhook from {RemoteAddress} refused: outside AppServer:Webhooks:AllowedNetworks", remote);
                return Problems.Status(StatusCodes.Status403Forbidden, "Caller not allowed",
                    $"Webhooks are accepted only from AppServer:Webhooks:AllowedNetworks; {remote} is outside them.");
            }
        }

        var needsParameters = webhooks.Token.Length > 0 || webhooks.TwilioSignatureKey.Length > 0;
        if (needsParameters)
        {
            var (parameters, problem) = await WebhookRequestReader.ReadAsync(http);
            if (problem is not null) return problem;

            if (webhooks.Token.Length > 0 && !SecretComparer.AreEqual(PresentedToken(http, parameters!), webhooks.Token))
            {
                http.Response.Headers.WWWAuthenticate = "Basic realm=\"AppServer webhooks\"";
                return Problems.Status(StatusCodes.Status401Unauthorized, "Webhook token required",
                    "This webhook needs the token configured in AppServer:Webhooks:Token, as token=… or as the HTTP Basic password.");
            }
            if (webhooks.TwilioSignatureKey.Length > 0 && !HasValidTwilioSignature(http, parameters!, settings))
                return Problems.Status(StatusCodes.Status401Unauthorized, "Invalid signature",
                    "X-Twilio-Signature is missing or does not match this request.");
        }
        return await next(context);
    }

    private static string? PresentedToken(HttpContext http, Dictionary<string, string> parameters)
    {
        if (parameters.TryGetValue("token", out var token)) return token;
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
    private static bool HasValidTwilioSignature(HttpContext http, Dictionary<string, string> parameters, AppServerOptions settings)
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
            foreach (var (name, value) in parameters.Where(p => !query.ContainsKey(p.Key)).OrderBy(p => p.Key, StringComparer.Ordinal))
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
        builder.AddEndpointFilter<TBuilder, WebhookAuthenticationFilter>();
}
