namespace CallApi.Emulator.Scenario;

/// <summary>What a ringing party does. "manual" keeps it ringing until /emulator/calls/{sid}/answer or a timeout.</summary>
public static class PartyOutcome
{
    public const string Answered = "answered";
    public const string Busy = "busy";
    public const string NoAnswer = "no-answer";
    public const string Failed = "failed";
    public const string Manual = "manual";

    public static readonly IReadOnlyList<string> All = [Answered, Busy, NoAnswer, Failed, Manual];

    public static string? Parse(string? text)
    {
        var t = text?.Trim().ToLowerInvariant();
        return t switch
        {
            "answer" or "answered" => Answered,
            "ring" => Manual,
            _ => All.Contains(t) ? t : null,
        };
    }
}
