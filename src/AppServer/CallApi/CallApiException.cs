namespace AppServer.CallApi;

public enum CallApiFailure
{
    /// <summary>The platform answered with a non-2xx HTTP status.</summary>
    HttpError,
    /// <summary>No answer within <c>CallApi:TimeoutSeconds</c>: the request may or may not have been carried out.</summary>
    Timeout,
    /// <summary>The connection could not be made or broke before an answer.</summary>
    ConnectionFailed,
    /// <summary>A 2xx answer whose body is not the JSON (call, or account) the API promises.</summary>
    InvalidResponse,
}

/// <summary>A CallAPI request that did not succeed, with the platform's own words when it gave any.</summary>
public sealed class CallApiException(CallApiFailure failure, int? statusCode, string platformMessage, Exception? inner = null)
    : Exception(Describe(failure, statusCode, platformMessage), inner)
{
    public CallApiFailure Failure { get; } = failure;

    /// <summary>HTTP status the platform answered with; null when there was no answer.</summary>
    public int? StatusCode { get; } = statusCode;

    /// <summary>The platform's message (its plain-text or JSON body), or what went wrong on the way.</summary>
    public string PlatformMessage { get; } = platformMessage;

    private static string Describe(CallApiFailure failure, int? status, string message) =>
        status is null ? $"CallAPI {failure}: {message}" : $"CallAPI {failure} (HTTP {status}): {message}";
}
