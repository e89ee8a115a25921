using System.Globalization;
using System.Text.Json;
using AppServer.Calls;
using AppServer.Calls.Store;
using AppServer.Webhooks;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace AppServer;

/// <summary>
/// Turns the exceptions that mean "bad input" into the 4xx problem they are, instead of a bare 400 or a 500: a JSON body
/// that does not parse or does not fit names the field and the problem; a write over a storage limit is a 413 naming it;
/// a database that cannot take writes now is a 503 with Retry-After, which the platform honours by sending it again.
/// </summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var (status, title, detail, field) = exception switch
        {
            StorageLimitExceededException limit => (StatusCodes.Status413PayloadTooLarge, "Over a storage limit", limit.Message, null),
            // Logged once per fault episode by StorageFaults, not here per request.
            StorageUnavailableException down => (StatusCodes.Status503ServiceUnavailable, "Storage unavailable", down.Message, null),
            BadHttpRequestException { InnerException: JsonException json } => (StatusCodes.Status400BadRequest, "Malformed JSON body",
                JsonProblem(json), FieldOf(json)),
            BadHttpRequestException bad => (bad.StatusCode, "Bad request", bad.Message, (string?)null),
            _ => (0, "", "", null),
        };
        if (status == 0) return false;
        if (exception is StorageLimitExceededException refused)
            logger.Refused(http, StatusCodes.Status413PayloadTooLarge, refused.Message);
        http.Response.StatusCode = status;
        if (exception is StorageUnavailableException)
            http.Response.Headers.RetryAfter = StorageUnavailableException.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var problem = field is null
            ? new ProblemDetails { Status = status, Title = title, Detail = detail }
            : new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [detail] })
            {
                Status = status,
                Title = title,
                Detail = detail,
            };
        var context = new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception };
        return await problems.TryWriteAsync(context);
    }

    /// <summary>The JSON path as a field name: <c>$.callSid</c> → <c>callSid</c>; the whole body when it does not parse.</summary>
    private static string FieldOf(JsonException json) =>
        json.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";

    private static string JsonProblem(JsonException json)
    {
        var field = FieldOf(json);
        var where = json.LineNumber is { } line ? $" (line {line + 1}, byte {json.BytePositionInLine + 1})" : "";
        return field == "body"
            ? $"The body is not valid JSON{where}: {FirstSentence(json.Message)}"
            : $"{field} has the wrong type or shape{where}: {FirstSentence(json.Message)}";
    }

    // System.Text.Json appends "Path: … | LineNumber: …" to its messages; the problem says those in its own words.
    private static string FirstSentence(string message) => message.Split(" Path:", 2)[0].Trim();
}

public static class ProblemExceptionHandlerSetup
{
    public static IServiceCollection AddInputProblems(this IServiceCollection services)
    {
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // A body that does not bind throws, so the handler above can say why (by default it is a bare 400).
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }
}
