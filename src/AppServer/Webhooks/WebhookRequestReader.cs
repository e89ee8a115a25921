using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

namespace AppServer.Webhooks;

/// <summary>
/// Reads a platform callback's parameters once per request: the query string merged with the
/// form body (Restcomm moves the configured URL's query into the POST body). Form values win.
/// </summary>
public static class WebhookRequestReader
{
    public const int MaxBodyBytes = 64 * 1024;

    private sealed record Cached(Dictionary<string, string>? Parameters, IResult? Problem);

    /// <summary>The parameters, or a 413/415/400 problem when the body cannot be one of ours.</summary>
    public static async ValueTask<(Dictionary<string, string>? Parameters, IResult? Problem)> ReadAsync(HttpContext http)
    {
        if (http.Items[typeof(Cached)] is Cached cached) return (cached.Parameters, cached.Problem);
        var result = await ReadOnceAsync(http);
        http.Items[typeof(Cached)] = new Cached(result.Parameters, result.Problem);
        return result;
    }

    private static async ValueTask<(Dictionary<string, string>? Parameters, IResult? Problem)> ReadOnceAsync(HttpContext http)
    {
        var request = http.Request;
        var hasBody = request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0;
        if (!HttpMethods.IsPost(request.Method) || (!hasBody && !request.HasFormContentType))
            return (Merge(request.Query, null), null);

        if (!request.HasFormContentType)
            return (null, Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                $"Webhook bodies must be application/x-www-form-urlencoded, got '{request.ContentType}'."));
        if (request.ContentLength > MaxBodyBytes) return (null, TooLarge());

        // Chunked bodies have no length up front: let Kestrel stop reading past the limit.
        var sizeFeature = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false }) sizeFeature.MaxRequestBodySize = MaxBodyBytes;
        try
        {
            return (Merge(request.Query, await request.ReadFormAsync(FormLimits, http.RequestAborted)), null);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge());
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
        {
            return (null, Problems.Status(StatusCodes.Status400BadRequest, "Malformed form body", ex.Message));
        }
    }

    private static readonly FormOptions FormLimits = new() { BufferBody = false, ValueLengthLimit = MaxBodyBytes, KeyLengthLimit = 1024 };

    private static Dictionary<string, string> Merge(IQueryCollection query, IFormCollection? form)
    {
        var parameters = new Dictionary<string, string>(query.Count + (form?.Count ?? 0), StringComparer.Ordinal);
        foreach (var (key, values) in query) parameters[key] = Last(values);
        if (form is not null)
            foreach (var (key, values) in form) parameters[key] = Last(values);
        return parameters;
    }

    private static IResult TooLarge() => Problems.Status(StatusCodes.Status413PayloadTooLarge, "Body too large",
        $"Webhook bodies are limited to {MaxBodyBytes} bytes.");

    // A repeated key keeps its last value: that is what the platform meant most recently.
    private static string Last(StringValues values) => values.Count == 0 ? "" : values[^1] ?? "";
}
