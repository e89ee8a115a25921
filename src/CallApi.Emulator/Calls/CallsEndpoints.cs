using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallApi.Emulator.Calls;

/// <summary>The CallAPI REST surface of docs/platform.md §4. Errors are plain text, as Restcomm answers them.</summary>
public static class CallsEndpoints
{
    public const string BasePath = "/restcomm/" + CallApiVersion.Value + "/Accounts/{accountSid}";

    public static void MapCallsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(BasePath).AddEndpointFilter<BasicAuthFilter>();

        // Every resource also answers with the ".json" suffix Restcomm clients append.
        group.MapPost("/Calls", CreateAsync);
        group.MapPost("/Calls.json", CreateAsync);
        group.MapGet("/Calls", ListCalls);
        group.MapGet("/Calls.json", ListCalls);
        group.MapGet("/Calls/{callSid}", GetCall);
        group.MapPost("/Calls/{callSid}", ModifyAsync);
    }

    internal static async Task<Results<Ok<CallResource>, ContentHttpResult>> CreateAsync(HttpRequest http, CallEngine engine,
        CancellationToken ct)
    {
        var p = await RequestParameters.ReadAsync(http, ct);
        foreach (var required in new[] { "From", "To", "Url" })
        {
            if (p[required] is null)
            {
                return PlainText(400, $"Missing required parameter: {required}");
            }
        }
        if (!IsHttpUrl(p["Url"]))
        {
            return PlainText(400, "Url must be an absolute http(s) URL.");
        }
        if (InvalidCallbacks(p, out var methods) is { } invalid)
        {
            return PlainText(400, invalid);
        }
        var timeout = 60;
        if (p["Timeout"] is { } t && (!int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out timeout) || timeout < 0))
        {
            return PlainText(400, "Timeout must be a number of seconds.");
        }
        // Restcomm trims the whole value (as the parameter reader does), then splits it on commas.
        var events = ProgressEvents.Parse(p["StatusCallbackEvent"]);

        var answer = engine.CreateOutgoing(new CreateCallRequest(
            p["From"]!, p["To"]!, p["Url"]!, methods.Url, p["FallbackUrl"], methods.Fallback, p["StatusCallback"], methods.StatusCallback,
                events, timeout));
        return ToResult(answer);
    }

    internal static async Task<Results<Ok<CallResource>, ContentHttpResult>> ModifyAsync(string callSid, HttpRequest http,
        CallEngine engine, CancellationToken ct)
    {
        var sid = WithoutJsonSuffix(callSid);
        if (!CallSid.IsWellFormed(sid))
        {
            // Restcomm answers a malformed CallSid with 400 and an empty body.
            return PlainText(400, "");
        }
        var p = await RequestParameters.ReadAsync(http, ct);
        if (p["Url"] is { } url && !IsHttpUrl(url))
        {
            return PlainText(400, "Url must be an absolute http(s) URL.");
        }
        if (p["Status"] is { } status && status is not (CallStatus.Canceled or CallStatus.Completed))
        {
            return PlainText(400, "Status must be canceled or completed.");
        }
        // Checked like a new call's, before anything changes: a bad value must not leave half a modification behind.
        if (InvalidCallbacks(p, out var methods) is { } invalid)
        {
            return PlainText(400, invalid);
        }
        var answer = engine.Modify(sid, new ModifyCallRequest(
            p["Url"], methods.Url, p["Status"], p.Flag("Mute"), p["FallbackUrl"], methods.Fallback,
            p["StatusCallback"], methods.StatusCallback, p.Flag("MoveConnectedCallLeg")));
        return ToResult(answer);
    }

    internal static Results<Ok<CallResource>, ContentHttpResult> GetCall(string callSid, CallEngine engine)
    {
        var sid = WithoutJsonSuffix(callSid);
        if (!CallSid.IsWellFormed(sid))
        {
            return PlainText(400, "");
        }
        return engine.Find(sid) is { } call ? TypedResults.Ok(call) : PlainText(404, "The requested call was not found.");
    }

    internal static Ok<CallList> ListCalls(HttpRequest http, CallEngine engine)
    {
        // Filters of the Twilio/Restcomm list resource that are cheap to honour.
        string? Filter(string name) => http.Query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        var (status, parent, to, from) = (Filter("Status"), Filter("ParentCallSid"), Filter("To"), Filter("From"));
        var calls = engine.List()
            .Where(c => (status is null || c.Status == status) && (parent is null || c.ParentCallSid == parent)
                && (to is null || c.To == to) && (from is null || c.From == from))
            .ToList();
        return TypedResults.Ok(new CallList(0, 1, calls.Count, calls.Count, 0, Math.Max(0, calls.Count - 1), http.Path, calls));
    }

    private static Results<Ok<CallResource>, ContentHttpResult> ToResult(ApiAnswer answer) =>
        answer.Call is { } call ? TypedResults.Ok(call) : PlainText(answer.StatusCode, answer.Message ?? "");

    internal static ContentHttpResult PlainText(int status, string text) => TypedResults.Text(text, "text/plain; charset=utf-8",
        statusCode: status);

    internal static string WithoutJsonSuffix(string sid) =>
        sid.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? sid[..^5] : sid;

    /// <summary>The methods for Url, FallbackUrl and StatusCallback: GET or POST each, POST when not given.</summary>
    private sealed record CallbackMethods(string Url, string Fallback, string StatusCallback);

    /// <summary>
    /// Why the optional URLs or the methods of a create or modify are unusable, or null when they are fine (then
    /// <paramref name="methods"/> holds the methods).
    /// </summary>
    private static string? InvalidCallbacks(RequestParameters p, out CallbackMethods methods)
    {
        methods = new CallbackMethods("POST", "POST", "POST");
        if ((p["FallbackUrl"] is { } fallback && !IsHttpUrl(fallback)) || (p["StatusCallback"] is { } callback && !IsHttpUrl(callback)))
        {
            return "FallbackUrl and StatusCallback must be absolute http(s) URLs.";
        }
        if (p.Method("Method") is not { } url)
        {
            return "Method must be GET or POST.";
        }
        if (p.Method("FallbackMethod") is not { } fallbackMethod)
        {
            return "FallbackMethod must be GET or POST.";
        }
        if (p.Method("StatusCallbackMethod") is not { } statusCallbackMethod)
        {
            return "StatusCallbackMethod must be GET or POST.";
        }
        methods = new CallbackMethods(url, fallbackMethod, statusCallbackMethod);
        return null;
    }

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);
}

/// <summary>The list resource: Restcomm's paging fields and the calls (one page holds them all here).</summary>
public sealed record CallList(int Page, int NumPages, int PageSize, int Total, int Start, int End, string Uri,
    IReadOnlyList<CallResource> Calls);
