namespace CallApi.Emulator.Calls;

/// <summary>
/// Call progress events as Restcomm's Call actor reports them (docs/platform.md §8): CallStatus is the event's own name
/// and SequenceNumber is fixed per event, whichever events were subscribed.
/// </summary>
public static class ProgressEvents
{
    public const string Initiated = "initiated";
    public const string Ringing = "ringing";
    public const string Answered = "answered";
    public const string Completed = "completed";

    public const string CallbackSource = "call-progress-events";

    /// <summary>In the order they happen (and of their SequenceNumber).</summary>
    public static readonly IReadOnlyList<string> All = [Initiated, Ringing, Answered, Completed];

    /// <summary>
    /// A statusCallbackEvent / StatusCallbackEvent value split on commas exactly as Restcomm's code does: no trimming
    /// and no case folding, so "initiated, ringing" subscribes to "initiated" and " ringing" (which never matches).
    /// Null (not given) subscribes to every event, Restcomm's default.
    /// </summary>
    public static IReadOnlySet<string> Parse(string? value) =>
        (value is null ? All : value.Split(',')).ToHashSet(StringComparer.Ordinal);

    public static int SequenceNumber(string progressEvent) => progressEvent switch
    {
        Ringing => 1,
        Answered => 2,
        Completed => 3,
        _ => 0,
    };
}
