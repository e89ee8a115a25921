using System.Globalization;

namespace AppServer.Calls;

/// <summary>The validated parameters of one platform callback about one call.</summary>
public sealed record WebhookCallData(string CallSid, IReadOnlyDictionary<string, string> Parameters)
{
    // Restcomm sends the literal text "null" for these when there is no value: that is an absent value.
    private static readonly HashSet<string> NullTextMeansAbsent = new(StringComparer.Ordinal)
    {
        "CallerName", "ForwardedFrom", "DialCallSid", "ParentCallSid",
    };

    /// <summary>
    /// AppServer's own parameters, from the URLs it gives the platform (a room, an address, the transfer and agent a
    /// callback is about): they say where a request comes from, they are not call data, so they are never stored.
    /// </summary>
    private static readonly HashSet<string> OwnParameters = new(StringComparer.Ordinal) { "room", "address", "transfer", "agent" };

    public string? Get(string name) =>
        Parameters.TryGetValue(name, out var value) && !(value == "null" && NullTextMeansAbsent.Contains(name)) && value.Length > 0
            ? value
            : null;

    public void ApplyTo(Call call, DateTimeOffset now)
    {
        var next = Get("CallStatus") is { } reported ? CallStatuses.Normalize(reported) : null;
        var statusMoves = next is not null && CallStatuses.CanMoveTo(call.CallStatus, next);
        call.Parameters.EnsureCapacity(call.Parameters.Count + Parameters.Count);
        foreach (var (name, value) in Parameters)
        {
            if (value == "null" && NullTextMeansAbsent.Contains(name)) continue;
            if (OwnParameters.Contains(name)) continue;
            // An empty value never erases a known one, and a stale CallStatus must not contradict the status column.
            if (value.Length == 0 && call.Parameters.ContainsKey(name)) continue;
            if (name == "CallStatus" && !statusMoves) continue;
            call.Parameters[name] = value;
        }
        call.AccountSid = Get("AccountSid") ?? call.AccountSid;
        call.From = Get("From") ?? call.From;
        call.To = Get("To") ?? call.To;
        call.Direction = Get("Direction") ?? call.Direction;
        call.CallerName = Get("CallerName") ?? call.CallerName;
        call.ForwardedFrom = Get("ForwardedFrom") ?? call.ForwardedFrom;
        call.ParentCallSid = Get("ParentCallSid") ?? call.ParentCallSid;
        // A leg the platform dialled serves its parent, the customer's call.
        call.CustomerCallSid ??= call.ParentCallSid;

        if (statusMoves)
        {
            call.CallStatus = next;
            if (CallStatuses.IsInProgress(next)) call.AnsweredAt ??= now;
            if (CallStatuses.IsTerminal(next)) call.EndedAt ??= now;
        }
        if (int.TryParse(Get("CallDuration"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            call.Duration = seconds;
    }
}
