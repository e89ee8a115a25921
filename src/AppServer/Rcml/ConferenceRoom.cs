using System.Text.RegularExpressions;

namespace AppServer.Rcml;

/// <summary>Conference room names: letters, digits, '-' and '_', at most 64 characters.</summary>
public static partial class ConferenceRoom
{
    public const int MaxLength = 64;
    public const string Rule = "A room name is 1 to 64 letters, digits, '-' or '_'.";

    public static bool IsValid(string? room) => room is not null && Shape().IsMatch(room);

    /// <summary>What is wrong with a room name an agent sent, or null.</summary>
    public static string? Problem(string? room) =>
        string.IsNullOrEmpty(room) ? "room is required."
        : !IsValid(room) ? $"room '{(room.Length > 40 ? room[..40] + "…" : room)}' is invalid: {Rule}"
        : null;

    /// <summary>A fresh room name when the agent gives none.</summary>
    public static string NewName() => "room-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6));

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex Shape();
}
