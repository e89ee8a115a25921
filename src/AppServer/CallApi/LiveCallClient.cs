using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using AppServer.Configuration;
using Microsoft.Extensions.Options;
using RestSharp;
using RestSharp.Authenticators;

namespace AppServer.CallApi;

/// <summary>
/// The platform's REST API for live calls (SPEC section 4): modify, create and read calls as JSON
/// resources under <c>{BaseUrl}/2012-04-24/Accounts/{AccountSid}/</c>, HTTP Basic, form-encoded bodies.
/// Every failure becomes a <see cref="CallApiException"/>; every request is reported to the journal.
/// </summary>
public sealed partial class LiveCallClient : IDisposable
{
    private const int MaxLoggedBody = 2000;
    private const int MaxMessage = 500;

    // No base URL, credentials or timeout here: each request takes them from the current CallApi settings, so a
    // configuration reload applies to the next request (as it does for the transfer service) without rebuilding the client.
    private readonly RestClient _rest = new(new RestClientOptions { ThrowOnAnyError = false, UserAgent = "AppServer" });
    private readonly IOptionsMonitor<CallApiOptions> _options;
    private readonly IOptionsMonitor<AppServerOptions> _appServer;
    private readonly TimeProvider _time;
    private readonly ILogger<LiveCallClient> _logger;

    public LiveCallClient(IOptionsMonitor<CallApiOptions> options, IOptionsMonitor<AppServerOptions> appServer, TimeProvider time, ILogger<LiveCallClient> logger)
    {
        _options = options;
        _appServer = appServer;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// POST Calls/{CallSid}.json. Retried once when the connection failed before any answer: a modification
    /// is safe to repeat, but a timeout or an HTTP answer is final (the platform may already have acted).
    /// </summary>
    public async Task<PlatformCall> ModifyCallAsync(string callSid, LiveCallModification change, CallApiJournal? journal, CancellationToken ct)
    {
        var resource = $"Calls/{Uri.EscapeDataString(callSid)}.json";
        try
        {
            return await SendAsync(Method.Post, resource, change.ToForm(), ParseCall, journal, ct);
        }
        catch (CallApiException e) when (e.Failure == CallApiFailure.ConnectionFailed)
        {
            _logger.LogWarning("CallAPI connection failed modifying {CallSid}; retrying once", callSid);
            return await SendAsync(Method.Post, resource, change.ToForm(), ParseCall, journal, ct);
        }
    }

    /// <summary>
    /// POST Calls.json. Never retried: creating a call is not idempotent. Answers every leg the platform
    /// created (an array when a client is registered on several devices).
    /// </summary>
    public Task<IReadOnlyList<PlatformCall>> CreateCallAsync(OutgoingCall call, CallApiJournal? journal, CancellationToken ct) =>
        SendAsync(Method.Post, "Calls.json", call.ToForm(), ParseLegs, journal, ct);

    /// <summary>GET Calls/{CallSid}.json.</summary>
    public Task<PlatformCall> ReadCallAsync(string callSid, CallApiJournal? journal, CancellationToken ct) =>
        SendAsync(Method.Get, $"Calls/{Uri.EscapeDataString(callSid)}.json", [], ParseCall, journal, ct);

    private async Task<T> SendAsync<T>(Method method, string resource, IReadOnlyList<KeyValuePair<string, string>> form,
        Func<string, T> parse, CallApiJournal? journal, CancellationToken ct)
    {
        var settings = _options.CurrentValue;
        var url = new Uri(settings.AccountRoot(), resource);
        var request = new RestRequest(url, method)
        {
            Authenticator = new HttpBasicAuthenticator(settings.AccountSid, settings.AuthToken),
            Timeout = TimeSpan.FromSeconds(settings.TimeoutSeconds),
        };
        foreach (var (name, value) in form) request.AddParameter(name, value);

        var startedAt = _time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        var response = await _rest.ExecuteAsync(request, ct);
        clock.Stop();
        ct.ThrowIfCancellationRequested();

        // RestSharp reports StatusCode 0 when no HTTP answer arrived (connection failure or timeout).
        var status = response.ResponseStatus != ResponseStatus.TimedOut && response.StatusCode != 0 ? (int)response.StatusCode : (int?)null;
        // The platform may echo the Url we sent (with the webhook token) in any answer: nothing below sees the raw body.
        var body = MaskSecrets(response.Content ?? "");
        var failure = Classify(response, status);
        T? parsed = default;
        JsonException? malformed = null;
        if (failure is null)
        {
            try { parsed = parse(body); }
            catch (JsonException e) { malformed = e; failure = CallApiFailure.InvalidResponse; }
        }
        journal?.Add(new CallApiExchange(startedAt, method.ToString().ToUpperInvariant(),
            url.AbsolutePath, MaskSecrets(form), status,
            status is null ? null : Truncate(body, MaxLoggedBody), clock.Elapsed,
            failure?.ToString() ?? "Succeeded"));

        switch (failure)
        {
            case null:
                _logger.LogInformation("CallAPI {Method} {Resource} answered {Status} in {Elapsed} ms", method, resource, status, clock.ElapsedMilliseconds);
                return parsed!;
            case CallApiFailure.InvalidResponse:
                _logger.LogWarning("CallAPI {Method} {Resource} answered {Status} with malformed JSON: {Body}", method, resource, status, Truncate(body, MaxMessage));
                throw new CallApiException(CallApiFailure.InvalidResponse, status,
                    MaskSecrets($"The platform answered with something that is not the JSON call: {malformed!.Message}"), malformed);
            case CallApiFailure.HttpError:
                _logger.LogWarning("CallAPI {Method} {Resource} answered {Status}: {Body}", method, resource, status, Truncate(body, MaxMessage));
                throw new CallApiException(CallApiFailure.HttpError, status, PlatformMessage(body, status!.Value));
            case CallApiFailure.Timeout:
                _logger.LogWarning("CallAPI {Method} {Resource} timed out after {Elapsed} ms", method, resource, clock.ElapsedMilliseconds);
                throw new CallApiException(CallApiFailure.Timeout, null, $"No answer within {settings.TimeoutSeconds} s.", response.ErrorException);
            default:
                var error = MaskSecrets(response.ErrorMessage ?? "The connection failed.");
                _logger.LogWarning("CallAPI {Method} {Resource} failed: {Error}", method, resource, error);
                throw new CallApiException(CallApiFailure.ConnectionFailed, null, error, response.ErrorException);
        }
    }

    private static CallApiFailure? Classify(RestResponse response, int? status)
    {
        if (response.ResponseStatus == ResponseStatus.TimedOut
            || response.ErrorException is TimeoutException or TaskCanceledException { InnerException: TimeoutException })
            return CallApiFailure.Timeout;
        if (status is null) return CallApiFailure.ConnectionFailed;
        return status is >= 200 and < 300 ? null : CallApiFailure.HttpError;
    }

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

    private static PlatformCall Deserialize(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object
            ? element.Deserialize<PlatformCall>()!
            : throw new JsonException($"Expected a JSON object, got {element.ValueKind}.");

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
        var token = _appServer.CurrentValue.Webhooks.Token;
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

    public void Dispose() => _rest.Dispose();
}
