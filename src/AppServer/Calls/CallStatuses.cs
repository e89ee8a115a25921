namespace AppServer.Calls;

/// <summary>
/// The platform's call statuses (docs/platform.md §2.3) and their order, so a late or repeated
/// callback never moves a call backwards (a delayed "ringing" must not undo "completed").
/// </summary>
public static class CallStatuses
{
    public const string Queued = "queued";
    public const string Ringing = "ringing";
    public const string InProgress = "in-progress";
    public const string Completed = "completed";
    public const string Canceled = "canceled";

    // Dial-noun status callbacks use initiated/answered; they rank with queued/in-progress.
    private static readonly Dictionary<string, int> Rank = new(StringComparer.Ordinal)
    {
        ["queued"] = 0, ["initiated"] = 0,
        ["ringing"] = 1, ["wait-for-answer"] = 1,
        ["in-progress"] = 2, ["answered"] = 2,
        ["completed"] = 3, ["busy"] = 3, ["failed"] = 3, ["no-answer"] = 3, ["canceled"] = 3, ["not-found"] = 3,
    };

    public static IReadOnlyCollection<string> All => Rank.Keys;

    /// <summary>
    /// The call status a progress event means: a dialled leg reports <c>initiated</c>/<c>answered</c>
    /// (docs/platform.md §2.7), stored as the call statuses <c>queued</c>/<c>in-progress</c>.
    /// </summary>
    public static string Normalize(string status) => status switch
    {
        "initiated" => Queued,
        "answered" => InProgress,
        _ => status,
    };

    /// <summary>Answered and not ended: the leg is talking (or on hold, or in a room).</summary>
    public static bool IsInProgress(string? status) => status == InProgress;

    public static bool IsKnown(string? status) => status is not null && Rank.ContainsKey(status);

    public static bool IsTerminal(string? status) => status is not null && Rank.TryGetValue(status, out var r) && r == 3;

    /// <summary>Queued or ringing: the only states in which <c>Status=canceled</c> stops a call.</summary>
    public static bool IsNotYetAnswered(string? status) => status is not null && Rank.TryGetValue(status, out var r) && r < 2;

    /// <summary>True when <paramref name="next"/> may replace <paramref name="current"/>.</summary>
    public static bool CanMoveTo(string? current, string next)
    {
        if (current is null || !Rank.TryGetValue(current, out var from)) return true;
        if (!Rank.TryGetValue(next, out var to)) return false;
        if (from == 3) return false; // an ended call stays ended with its first final status
        return to >= from;
    }
}
