using System.Globalization;

namespace CallApi.Emulator.Calls;

/// <summary>The JSON shape of a call (serialized snake_case like Restcomm/Twilio: sid, date_created, parent_call_sid …).</summary>
public sealed record CallResource(
    string Sid,
    string AccountSid,
    string? ParentCallSid,
    string DateCreated,
    string DateUpdated,
    string? StartTime,
    string? EndTime,
    int? Duration,
    string From,
    string To,
    string Status,
    string Direction,
    string ApiVersion,
    string? ForwardedFrom,
    string? CallerName,
    bool Muted,
    string Uri)
{
    /// <summary>Must be called under the registry gate: a call is mutable.</summary>
    public static CallResource Of(Call call) => new(
        call.Sid,
        call.AccountSid,
        call.ParentCallSid,
        Rfc2822(call.DateCreated),
        Rfc2822(call.DateUpdated),
        call.StartTime is { } s ? Rfc2822(s) : null,
        call.EndTime is { } e ? Rfc2822(e) : null,
        DurationOf(call),
        call.From,
        call.To,
        call.Status,
        call.Direction,
        CallApiVersion.Value,
        null,
        null,
        call.Muted,
        $"/restcomm/{CallApiVersion.Value}/Accounts/{call.AccountSid}/Calls/{call.Sid}.json");

    /// <summary>Seconds between answer and end; 0 for a call that ended unanswered, null while live.</summary>
    public static int? DurationOf(Call call) =>
        call.EndTime is not { } end ? null
        : call.StartTime is { } start ? (int)Math.Max(0, (end - start).TotalSeconds) : 0;

    // Twilio and Restcomm format dates as RFC 2822 in their JSON.
    internal static string Rfc2822(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
}

public static class CallApiVersion
{
    public const string Value = "2012-04-24";
}
