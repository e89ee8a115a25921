using System.Text.Json.Serialization;

namespace AppServer.CallApi;

/// <summary>A call as the platform's JSON describes it (the fields this server uses; the rest is ignored).</summary>
public sealed record PlatformCall(
    [property: JsonPropertyName("sid")] string? Sid,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("direction")] string? Direction,
    [property: JsonPropertyName("from")] string? From,
    [property: JsonPropertyName("to")] string? To,
    [property: JsonPropertyName("date_created")] string? DateCreated,
    [property: JsonPropertyName("account_sid")] string? AccountSid = null);
