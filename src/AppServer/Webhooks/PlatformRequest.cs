using System.Reflection;
using AppServer.Actions;
using AppServer.Calls;
using AppServer.Rcml;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace AppServer.Webhooks;

/// <summary>
/// The parameters of a request the platform makes (a callback or an RCML fetch), bound once per request as a handler
/// argument: the query string merged with the form body, since Restcomm moves the configured URL's query into a POST
/// body (docs/platform.md §2.1). Form values win. The webhook token is kept apart: it authenticates, it is not call data.
/// A body that cannot be a platform form leaves <see cref="Refusal"/> set (413/415/400), for the endpoint filters
/// to log and answer; binding itself never fails.
/// </summary>
public sealed class PlatformRequest : IEndpointParameterMetadataProvider
{
    public const int MaxBodyBytes = 64 * 1024;
    public const string TokenParameter = "token";

    private static readonly FormOptions FormLimits = new() { BufferBody = false, ValueLengthLimit = MaxBodyBytes, KeyLengthLimit = 1024 };
    private static readonly Dictionary<string, string> NoParameters = new(StringComparer.Ordinal);

    private WebhookCallData? _callData;

    private PlatformRequest(Dictionary<string, string> parameters, string? token, bool tokenInForm, WebhookRefusal? refusal)
    {
        Parameters = parameters;
        Token = token;
        TokenInForm = tokenInForm;
        Refusal = refusal;
    }

    /// <summary>Every parameter but the webhook token.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>The <c>token=</c> parameter, when one was sent.</summary>
    public string? Token { get; }

    /// <summary>Whether the token came in the form body (it then counts among the POST parameters a signature covers).</summary>
    public bool TokenInForm { get; }

    /// <summary>
    /// Why the body could not be read: the status, a reason for the log and the problem to answer; null when it was read.
    /// </summary>
    public WebhookRefusal? Refusal { get; }

    public string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>The transfer a callback or document serves, from the URL a transfer gave the platform; anything else is ignored.</summary>
    public string? TransferId => Get(RcmlUrls.TransferParameter) is { } id && ActionIds.IsWellFormed(id) ? id : null;

    /// <summary>The parameters as the data of a call callback (the CallSid is checked by <see cref="WebhookValidationFilter"/>).</summary>
    public WebhookCallData CallData => _callData ??= new WebhookCallData(Get("CallSid") ?? "", Parameters);

    public static async ValueTask<PlatformRequest> BindAsync(HttpContext http)
    {
        var bound = await ReadAsync(http);
        if (bound.Refusal is not null) return bound;
        var limits = http.RequestServices.GetRequiredService<IOptionsMonitor<StorageLimits>>().CurrentValue;
        return LimitProblem(bound, limits) is { } tooMuch ? Failed(tooMuch) : bound;
    }

    private static async ValueTask<PlatformRequest> ReadAsync(HttpContext http)
    {
        var request = http.Request;
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (!HttpMethods.IsPost(request.Method) || (!hasBody && !request.HasFormContentType))
            return Merge(request.Query, null);

        // The platform posts url-encoded forms only: multipart is refused before any parsing, whatever its shape.
        if (!request.HasFormContentType || !IsUrlEncoded(request.ContentType))
            return Failed(new(StatusCodes.Status415UnsupportedMediaType,
                $"content type '{request.ContentType}' is not application/x-www-form-urlencoded",
                Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                    $"Webhook bodies must be application/x-www-form-urlencoded, got '{request.ContentType}'.")));
        if (request.ContentLength > MaxBodyBytes) return Failed(TooLarge());

        // Chunked bodies have no length up front: let Kestrel stop reading past the limit.
        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = MaxBodyBytes;
        try
        {
            return Merge(request.Query, await request.ReadFormAsync(FormLimits, http.RequestAborted));
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Failed(TooLarge());
        }
        catch (InvalidDataException ex) when (ex.Message.Contains("invalid characters", StringComparison.Ordinal))
        {
            // The form reader refuses percent-encoded control characters itself, without saying where: the same answer as
            // the raw ones found below, only less precise about which parameter.
            return Failed(ControlCharacter("parameters", "A parameter"));
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException or FormatException
                                       && !http.RequestAborted.IsCancellationRequested)
        {
            return Failed(new(StatusCodes.Status400BadRequest, "malformed form body: " + ex.Message,
                Problems.Status(StatusCodes.Status400BadRequest, "Malformed form body", ex.Message)));
        }
    }

    /// <summary>One request alone over <see cref="StorageLimits"/> is refused before anything is stored (413 naming the limit).</summary>
    private static WebhookRefusal? LimitProblem(PlatformRequest request, StorageLimits limits)
    {
        if (request.Parameters.Count > limits.MaxParametersPerCall)
            return OverLimit("AppServer:Limits:MaxParametersPerCall", $"{request.Parameters.Count} parameters",
                limits.MaxParametersPerCall);
        foreach (var (name, value) in request.Parameters)
            if (name.Length > limits.MaxValueLength || value.Length > limits.MaxValueLength)
                return OverLimit("AppServer:Limits:MaxValueLength", $"parameter '{(name.Length > 40 ? name[..40] + "…" : name)}'",
                    limits.MaxValueLength);
        return null;
    }

    private static WebhookRefusal OverLimit(string limit, string what, int max) =>
        new(StatusCodes.Status413PayloadTooLarge, $"{what} exceeds {limit} ({max})", TooMuch(limit, what, max));

    public static IResult TooMuch(string limit, string what, int max) =>
        Problems.Status(
            StatusCodes.Status413PayloadTooLarge, "Over a storage limit", $"{what} exceeds {limit} ({max}); nothing was stored.");

    private static bool IsUrlEncoded(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var type)
        && type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);

    private static PlatformRequest Failed(WebhookRefusal refusal) => new(NoParameters, null, false, refusal);

    private static PlatformRequest Merge(IQueryCollection query, IFormCollection? form)
    {
        var parameters = new Dictionary<string, string>(query.Count + (form?.Count ?? 0), StringComparer.Ordinal);
        foreach (var (key, values) in query) parameters[key] = Last(values);
        var tokenInForm = false;
        if (form is not null)
            foreach (var (key, values) in form)
            {
                parameters[key] = Last(values);
                tokenInForm |= key == TokenParameter;
            }
        var token = parameters.Remove(TokenParameter, out var presented) ? presented : null;
        return new PlatformRequest(parameters, token, tokenInForm, ControlCharacterProblem(parameters));
    }

    /// <summary>
    /// Control characters other than tab, CR and LF have no place in a call's parameters (and break logs, XML and
    /// terminals): refused the same whether they came raw or percent-encoded, since both arrive decoded here.
    /// </summary>
    private static WebhookRefusal? ControlCharacterProblem(Dictionary<string, string> parameters)
    {
        foreach (var (name, value) in parameters)
        {
            if (!HasControl(name) && !HasControl(value)) continue;
            return HasControl(name) ? ControlCharacter("parameters", "A parameter name") : ControlCharacter(name, name);
        }
        return null;
    }

    private static WebhookRefusal ControlCharacter(string field, string what) => new(StatusCodes.Status400BadRequest,
        $"control character in {(field == "parameters" ? what.ToLowerInvariant() : field.Length > 40 ? field[..40] + "…" : field)}",
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [$"{what} holds a control character (only tab, CR and LF are allowed)."] },
            detail: $"{what} holds a control character (only tab, CR and LF are allowed in webhook parameters).",
            title: "Control character in a parameter"));

    private static bool HasControl(string text)
    {
        foreach (var c in text)
            if ((c < ' ' && c is not ('\t' or '\r' or '\n')) || c == '\u007f') return true;
        return false;
    }

    private static WebhookRefusal TooLarge() => new(StatusCodes.Status413PayloadTooLarge, $"body over {MaxBodyBytes} bytes",
        Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large", $"Webhook bodies are limited to {MaxBodyBytes} bytes."));

    // A repeated key keeps its last value: that is what the platform meant most recently.
    private static string Last(StringValues values) => values.Count == 0 ? "" : values[^1] ?? "";

    /// <summary>The platform sends a form (POST) or a query string (GET): tell OpenAPI about the form.</summary>
    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new AcceptsMetadata(["application/x-www-form-urlencoded"], typeof(Dictionary<string, string>),
            isOptional: true));
}

/// <summary>Finds a handler's <see cref="PlatformRequest"/> argument once, when the endpoint is built.</summary>
internal static class PlatformRequestArgument
{
    public static int IndexIn(EndpointFilterFactoryContext factory, string filter)
    {
        var parameters = factory.MethodInfo.GetParameters();
        var index = Array.FindIndex(parameters, p => p.ParameterType == typeof(PlatformRequest));
        return index >= 0 ? index
            : throw new InvalidOperationException($"{filter} needs a {nameof(PlatformRequest)} parameter on {factory.MethodInfo.Name}.");
    }
}
