namespace CallApi.Emulator.Rcml;

/// <summary>The outcome of fetching one RCML document: its verbs, or why it could not be used.</summary>
public sealed record RcmlFetchResult(IReadOnlyList<RcmlVerb>? Verbs, string? Error, int ErrorCode)
{
    public static RcmlFetchResult Ok(IReadOnlyList<RcmlVerb> verbs) => new(verbs, null, 0);
    public static RcmlFetchResult Fail(string error, int code) => new(null, error, code);
}

/// <summary>
/// Fetches and parses RCML. Fetch failures and invalid documents are results, not exceptions: the runner decides on the fallback.
/// </summary>
public sealed class RcmlFetcher(ApplicationClient client, ILogger<RcmlFetcher> logger)
{
    // Twilio's error codes, which Restcomm-compatible apps sometimes log: 11200 HTTP retrieval failure, 12100 document parse failure.
    private const int HttpFailure = 11200;
    private const int ParseFailure = 12100;

    public async Task<RcmlFetchResult> FetchAsync(ApplicationRequest request, CancellationToken ct)
    {
        string body;
        try
        {
            using var response = await client.SendAsync(request, ct);
            body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("RCML {Method} {Url} answered {Status}", request.Method, request.Url, (int)response.StatusCode);
                return RcmlFetchResult.Fail($"HTTP {(int)response.StatusCode}", HttpFailure);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            logger.LogWarning("RCML {Method} {Url} failed: {Error}", request.Method, request.Url, ex.Message);
            return RcmlFetchResult.Fail(ex.Message, HttpFailure);
        }

        try
        {
            return RcmlFetchResult.Ok(RcmlParser.Parse(body, new Uri(request.Url)));
        }
        catch (InvalidRcmlException ex)
        {
            logger.LogWarning("RCML from {Url} is invalid: {Error}", request.Url, ex.Message);
            return RcmlFetchResult.Fail(ex.Message, ParseFailure);
        }
    }
}
