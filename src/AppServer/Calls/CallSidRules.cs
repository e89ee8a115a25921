using System.Text.RegularExpressions;

namespace AppServer.Calls;

/// <summary>
/// A CallSid is opaque text of letters, digits and '-' (Restcomm: ID…-CA…, 69 chars; Twilio: CA + 32 hex).
/// </summary>
public static partial class CallSidRules
{
    public const int MaxLength = 128;

    public static string? Problem(string? callSid) =>
        string.IsNullOrEmpty(callSid) ? "CallSid is required."
        : callSid.Length > MaxLength ? $"CallSid is longer than {MaxLength} characters."
        : !Shape().IsMatch(callSid) ? "CallSid may contain only letters, digits and '-'."
        : null;

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]*$")]
    private static partial Regex Shape();
}
