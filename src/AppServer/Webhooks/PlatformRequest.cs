using System.Reflection;
using AppServer.Actions;
using AppServer.Calls;
using AppServer.Rcml;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Primitives;

namespace AppServer.Webhooks;

/// <summary>
/// The parameters of a request the platform makes (a callback or an RCML fetch), bound once per request as a handler
/// argument: the query string merged with the form body, since Restcomm moves the configured URL's query into a POST
/// body (docs/platform.md §2.1). Form values win. The webhook token is kept apart: it authenticates, it is not call data.
/// A body that cannot be a platform form leaves <see cref="ReadProblem"/> set (413/415/400), for the endpoint filters
/// to answer; binding itself never fails.
/// </summary>
public sealed class PlatformRequest : IEndpointParameterMetadataProvider
{
    public const int MaxBodyBytes = 64 * 1024;
    public const string TokenParameter = "token";

    private static readonly FormOptions FormLimits = new() { BufferBody = false, ValueLengthLimit = MaxBodyBytes, KeyLengthLimit = 1024 };
    private static readonly Dictionary<string, string> NoParameters = new(StringComparer.Ordinal);

    private WebhookCallData? _callData;

    private PlatformRequest(Dictionary<string, string> parameters, string? token, bool tokenInForm, IResult? readProblem)
    {
        Parameters = parameters;
        Token = token;
        TokenInForm = tokenInForm;
        ReadProblem = readProblem;
    }

    /// <summary>Every parameter but the webhook token.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>The <c>token=</c> parameter, when one was sent.</summary>
    public string? Token { get; }

    /// <summary>Whether the token came in the form body (it then counts among the POST parameters a signature covers).</summary>
    public bool TokenInForm { get; }

    /// <summary>Why the body could not be read, as the problem to answer; null when it was read.</summary>
    public IResult? ReadProblem { get; }

    public string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>The transfer a callback or document serves, from the URL a transfer gave the platform; anything else is ignored.</summary>
    public string? TransferId => Get(RcmlUrls.TransferParameter) is { } id && ActionIds.IsWellFormed(id) ? id : null;

    /// <summary>The parameters as the data of a call callback (the CallSid is checked by <see cref="WebhookValidationFilter"/>).</summary>
    public WebhookCallData CallData => _callData ??= new WebhookCallData(Get("CallSid") ?? "", Parameters);

    public static async ValueTask<PlatformRequest> BindAsync(HttpContext http)
    {
        var request = http.Request;
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (!HttpMethods.IsPost(request.Method) || (!hasBody && !request.HasFormContentType))
            return Merge(request.Query, null);

        if (!request.HasFormContentType)
            return Failed(Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                $"Webhook bodies must be application/x-www-form-urlencoded, got '{request.ContentType}'."));
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
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return Failed(Problems.Status(StatusCodes.Status400BadRequest, "Malformed form body", ex.Message));
        }
    }

    private static PlatformRequest Failed(IResult problem) => new(NoParameters, null, false, problem);

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
        return new PlatformRequest(parameters, token, tokenInForm, null);
    }

    private static IResult TooLarge() => Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large",
        $"Webhook bodies are limited to {MaxBodyBytes} bytes.");

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
