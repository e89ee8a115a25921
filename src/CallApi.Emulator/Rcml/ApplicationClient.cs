namespace CallApi.Emulator.Rcml;

/// <summary>A request to the application: RCML fetch or callback, with Twilio-compatible form parameters.</summary>
public sealed record ApplicationRequest(string Url, string Method, IReadOnlyList<KeyValuePair<string, string>> Parameters);

/// <summary>Sends requests to the application the way Restcomm does.</summary>
public sealed class ApplicationClient(IHttpClientFactory httpClientFactory)
{
    public const string HttpClientName = "application";

    public async Task<HttpResponseMessage> SendAsync(ApplicationRequest request, CancellationToken ct)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        using var message = Build(request);
        return await client.SendAsync(message, ct);
    }

    /// <summary>
    /// GET puts the parameters in the query string. POST sends a form body and, like Restcomm, moves the
    /// query string of the configured URL into that body (so "?token=…" arrives as a form field).
    /// </summary>
    public static HttpRequestMessage Build(ApplicationRequest request)
    {
        var uri = new Uri(request.Url);
        if (request.Method == "GET")
        {
            var query = string.Join('&', request.Parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            var builder = new UriBuilder(uri) { Query = uri.Query.Length > 1 ? uri.Query[1..] + "&" + query : query };
            return new HttpRequestMessage(HttpMethod.Get, builder.Uri);
        }

        var fields = new List<KeyValuePair<string, string>>();
        if (uri.Query.Length > 1)
        {
            foreach (var pair in uri.Query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
                var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
                fields.Add(new(key, value));
            }
        }
        fields.AddRange(request.Parameters);
        var withoutQuery = new UriBuilder(uri) { Query = "" }.Uri;
        return new HttpRequestMessage(HttpMethod.Post, withoutQuery) { Content = new FormUrlEncodedContent(fields) };
    }
}
