using System.Text.RegularExpressions;

namespace AppServer.Rcml;

/// <summary>Conference room names: letters, digits, '-' and '_', at most 64 characters.</summary>
public static partial class ConferenceRoom
{
    public const int MaxLength = 64;
    public const string Rule = "A room name is 1 to 64 letters, digits, '-' or '_'.";

    public static bool IsValid(string? room) => room is not null && Shape().IsMatch(room);

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Shape();
}
