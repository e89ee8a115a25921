using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AppServer.Configuration;
using AppServer.Telemetry;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace AppServer.CallApi;

/// <summary>
/// The platform's REST API for live calls (docs/platform.md §4): modify, create and read calls as JSON
/// resources under <c>{BaseUrl}/2012-04-24/Accounts/{AccountSid}/</c>, HTTP Basic, form-encoded bodies; and read the account.
/// Every failure becomes a <see cref="CallApiException"/>; every attempt is reported to the journal.
/// A typed client (<see cref="CallApiSetup"/>): the per-attempt timeout and the one retry live in its HttpClient's pipeline.
/// </summary>
public sealed partial class LiveCallClient(
    HttpClient http, IOptionsMonitor<CallApiOptions> options, IOptionsMonitor<AppServerOptions> appServer,
    AppServerMetrics metrics, TimeProvider time, ILogger<LiveCallClient> logger)
{
    private const int MaxLoggedBody = 2000;
    private const int MaxMessage = 500;

    /// <summary>
    /// POST Calls/{CallSid}.json. Retried once when the connection failed before any answer: a modification
    /// is safe to repeat, but a timeout or an HTTP answer is final (the platform may already have acted).
    /// </summary>
    public Task<PlatformCall> ModifyCallAsync(string callSid, LiveCallModification change, CallApiJournal? journal, CancellationToken ct) =>
        SendAsync("modify", HttpMethod.Post, s => CallUrl(s, callSid), change.ToForm(), retryable: true, ParseCall, journal, ct);

    /// <summary>
    /// POST Calls.json. Never retried: creating a call is not idempotent. Answers every leg the platform
    /// created (an array when a client is registered on several devices).
    /// </summary>
    public Task<IReadOnlyList<PlatformCall>> CreateCallAsync(OutgoingCall call, CallApiJournal? journal, CancellationToken ct) =>
        SendAsync("create", HttpMethod.Post, s => new Uri(s.AccountRoot(), "Calls.json"), call.ToForm(), retryable: false, ParseLegs,
            journal, ct);

    /// <summary>GET Calls/{CallSid}.json; retried once on a connection failure, like a modification.</summary>
    public Task<PlatformCall> ReadCallAsync(string callSid, CallApiJournal? journal, CancellationToken ct) =>
        SendAsync("read", HttpMethod.Get, s => CallUrl(s, callSid), [], retryable: true, ParseCall, journal, ct);

    /// <summary>
    /// GET Accounts/{AccountSid}.json: one cheap authenticated read, for readiness. Throws <see cref="CallApiException"/>
    /// like every request: <see cref="CallApiFailure.HttpError"/> with status 401/403 means the platform refuses
    /// <c>CallApi:AccountSid</c>/<c>CallApi:AuthToken</c> (403: the account is inactive). Nothing is journaled.
    /// </summary>
    public Task CheckCredentialsAsync(CancellationToken ct) =>
        SendAsync("account", HttpMethod.Get, s => s.AccountUrl(), [], retryable: true, IsAccount, null, ct);

    private static Uri CallUrl(CallApiOptions settings, string callSid) =>
        new(settings.AccountRoot(), $"Calls/{Uri.EscapeDataString(callSid)}.json");

    /// <summary>
    /// Times the request as its caller waits for it, retry included, for <c>appserver.callapi.request.duration</c>
    /// (HttpClient's own <c>http.client.request.duration</c> times each attempt).
    /// </summary>
    private async Task<T> SendAsync<T>(string operation, HttpMethod method, Func<CallApiOptions, Uri> locate,
        IReadOnlyList<KeyValuePair<string, string>> form,
        bool retryable, Func<string, T> parse, CallApiJournal? journal, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        var outcome = "Succeeded";
        try
        {
            return await SendUntimedAsync(method, locate, form, retryable, parse, journal, ct);
        }
        catch (Exception e)
        {
            outcome = e switch
            {
                CallApiException failed => failed.Failure.ToString(),
                OperationCanceledException => "Canceled",
                _ => "Error",
            };
            throw;
        }
        finally
        {
            metrics.CallApiRequested(operation, outcome, time.GetElapsedTime(started));
        }
    }

    private async Task<T> SendUntimedAsync<T>(HttpMethod method, Func<CallApiOptions, Uri> locate,
        IReadOnlyList<KeyValuePair<string, string>> form,
        bool retryable, Func<string, T> parse, CallApiJournal? journal, CancellationToken ct)
    {
        // Read per request, so a configuration reload applies to the next one; the pipeline reads the timeout the same way.
        var settings = options.CurrentValue;
        var url = locate(settings);
        var attempts = new CallApiAttempts(method.Method, url.AbsolutePath, MaskSecrets(form), journal, retryable, ct);
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.AccountSid}:{settings.AuthToken}")));
        if (method == HttpMethod.Post) request.Content = new FormUrlEncodedContent(form);
        request.Options.Set(CallApiAttempts.Key, attempts);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, ct);
        }
        catch (TimeoutRejectedException e)
        {
            logger.LogWarning("CallAPI {Method} {Path} at {BaseUrl} (CallApi:BaseUrl) timed out after {Timeout} s (CallApi:TimeoutSeconds)",
                method, url.AbsolutePath, settings.BaseUrl, settings.TimeoutSeconds);
            throw new CallApiException(CallApiFailure.Timeout, null,
                MaskSecrets(
                    $"No answer from CallAPI at {settings.BaseUrl} (CallApi:BaseUrl) "
                    + $"within {settings.TimeoutSeconds} s (CallApi:TimeoutSeconds)."), e);
        }
        catch (HttpRequestException e)
        {
            // The innermost message is the useful one ("Connection refused", not "An error occurred while sending the request.").
            var error = MaskSecrets(
                $"Could not reach CallAPI at {settings.BaseUrl} (CallApi:BaseUrl): {Sentence(e.GetBaseException().Message)}");
            logger.LogWarning("CallAPI {Method} {Path} failed: {Error}", method, url.AbsolutePath, error);
            throw new CallApiException(CallApiFailure.ConnectionFailed, null, error, e);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            // The platform may echo the Url we sent (with the webhook token) in any answer: nothing below sees the raw body.
            var body = MaskSecrets(await response.Content.ReadAsStringAsync(ct));
            var failure = response.IsSuccessStatusCode ? (CallApiFailure?)null : CallApiFailure.HttpError;
            T? parsed = default;
            JsonException? malformed = null;
            if (failure is null)
            {
                try { parsed = parse(body); }
                catch (JsonException e) { malformed = e; failure = CallApiFailure.InvalidResponse; }
            }
            attempts.Record(status, Truncate(body, MaxLoggedBody), failure?.ToString() ?? "Succeeded");

            switch (failure)
            {
                case null:
                    logger.LogInformation("CallAPI {Method} {Path} answered {Status} in {Elapsed} ms", method, url.AbsolutePath, status,
                        (long)attempts.Duration.TotalMilliseconds);
                    return parsed!;
                case CallApiFailure.InvalidResponse:
                    logger.LogWarning("CallAPI {Method} {Path} answered {Status} with malformed JSON: {Body}", method, url.AbsolutePath,
                        status, Truncate(body, MaxMessage));
                    throw new CallApiException(CallApiFailure.InvalidResponse, status,
                        MaskSecrets($"The platform answered with something that is not the JSON the API promises: {malformed!.Message}"),
                            malformed);
                default:
                    logger.LogWarning("CallAPI {Method} {Path} answered {Status}: {Body}",
                        method, url.AbsolutePath, status, Truncate(body, MaxMessage));
                    throw new CallApiException(CallApiFailure.HttpError, status, PlatformMessage(body, status));
            }
        }
    }

    /// <summary>Socket errors read "Connection refused"; in a message to the agent it ends a sentence.</summary>
    private static string Sentence(string text) => text.EndsWith('.') ? text : text + ".";

    /// <summary>Throws <see cref="JsonException"/> for anything but a JSON object.</summary>
    private static PlatformCall ParseCall(string body)
    {
        using var document = JsonDocument.Parse(body);
        return Deserialize(document.RootElement);
    }

    /// <summary>One object, or an array of them when the platform created several legs.</summary>
    private static IReadOnlyList<PlatformCall> ParseLegs(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.EnumerateArray().Select(Deserialize).ToList()
            : [Deserialize(document.RootElement)];
    }

    /// <summary>The account check needs only a JSON object: a BaseUrl pointing at some web page answers 200 too.</summary>
    private static bool IsAccount(string body)
    {
        using var document = JsonDocument.Parse(body);
        RequireObject(document.RootElement);
        return true;
    }

    private static PlatformCall Deserialize(JsonElement element) => RequireObject(element).Deserialize<PlatformCall>()!;

    private static JsonElement RequireObject(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object ? element : throw new JsonException($"Expected a JSON object, got {element.ValueKind}.");

    /// <summary>Error bodies are often plain text or empty; a JSON body's "message" is used when there is one.</summary>
    private static string PlatformMessage(string body, int status)
    {
        var text = body.Trim();
        if (text.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                    text = message.GetString()!;
            }
            catch (JsonException)
            {
                // not JSON after all: keep the text as it is
            }
        }
        return text.Length == 0 ? $"HTTP {status} with an empty body." : Truncate(text, MaxMessage);
    }

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..max] + "…";

    /// <summary>URLs we send carry the webhook token; the audit trail must not.</summary>
    private IReadOnlyList<KeyValuePair<string, string>> MaskSecrets(IReadOnlyList<KeyValuePair<string, string>> form) =>
        form.Select(f => KeyValuePair.Create(f.Key, MaskSecrets(f.Value))).ToList();

    /// <summary>
    /// Hides the webhook token in text bound for the transfer record, problem answers and logs: any <c>token=</c> URL
    /// parameter (also URL- or JSON-escaped, as an echoed Url may be), and the configured token itself wherever it appears.
    /// </summary>
    private string MaskSecrets(string text)
    {
        if (text.Length == 0) return text;
        text = TokenInUrl().Replace(text, "$1***");
        var token = appServer.CurrentValue.Webhooks.Token;
        if (token.Length >= MinMaskedTokenLength)
        {
            text = text.Replace(token, "***", StringComparison.Ordinal);
            var escaped = Uri.EscapeDataString(token);
            if (escaped != token) text = text.Replace(escaped, "***", StringComparison.OrdinalIgnoreCase);
        }
        return text;
    }

    /// <summary>Shorter "tokens" are not replaced literally (they would mangle ordinary text); the token= rule still applies.</summary>
    private const int MinMaskedTokenLength = 4;

    [GeneratedRegex(@"((?:[?&]|%3F|%26|\\u0026)token(?:=|%3D))[^&\s""'<>\\]*", RegexOptions.IgnoreCase)]
    private static partial Regex TokenInUrl();
}
