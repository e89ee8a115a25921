namespace CallApi.Emulator.Calls;

/// <summary>Parameters of POST …/Calls (docs/platform.md §4), already validated.</summary>
public sealed record CreateCallRequest(
    string From,
    string To,
    string Url,
    string Method,
    string? FallbackUrl,
    string FallbackMethod,
    string? StatusCallback,
    string StatusCallbackMethod,
    IReadOnlySet<string> StatusCallbackEvents,
    int TimeoutSeconds);

/// <summary>Parameters of POST …/Calls/{CallSid}. A missing Mute is false: Restcomm unmutes on any modification.</summary>
public sealed record ModifyCallRequest(
    string? Url,
    string Method,
    string? Status,
    bool Mute,
    string? FallbackUrl,
    string FallbackMethod,
    string? StatusCallback,
    string StatusCallbackMethod,
    bool MoveConnectedCallLeg);

/// <summary>An engine answer for the REST layer: an HTTP status, the call, or a plain-text message.</summary>
public sealed record ApiAnswer(int StatusCode, CallResource? Call, string? Message)
{
    public static ApiAnswer Ok(CallResource call) => new(200, call, null);
    public static ApiAnswer Error(int statusCode, string message) => new(statusCode, null, message);
}
