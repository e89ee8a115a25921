using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace AppServer.Configuration;

/// <summary>
/// Absolute URLs the platform will call back: RCML attributes (action, waitUrl…) and the Url=/FallbackUrl=
/// of REST requests. Built from AppServer:PublicBaseUrl, and carrying the webhook token when one is
/// configured, because the platform can only send back what the URL holds.
/// </summary>
public sealed class PublicUrls(IOptionsMonitor<AppServerOptions> options)
{
    /// <param name="path">Route path starting with '/', e.g. "/CallToAlice".</param>
    /// <param name="query">Optional query parameters (escaped here).</param>
    /// <summary>A public URL without the webhook token: for files the platform plays, which prove nothing.</summary>
    public string Plain(string path) => options.CurrentValue.BaseUrl + path;

    public string For(string path, IEnumerable<KeyValuePair<string, string?>>? query = null)
    {
        var settings = options.CurrentValue;
        var url = settings.BaseUrl + path;
        if (query is not null) url = QueryHelpers.AddQueryString(url, query);
        if (settings.Webhooks.Token.Length > 0) url = QueryHelpers.AddQueryString(url, "token", settings.Webhooks.Token);
        return url;
    }
}
