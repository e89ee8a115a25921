using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace CallApi.Emulator.Calls;

/// <summary>Restcomm call ids: "ID" + 32 hex + "-CA" + 32 hex. Twilio-style "CA" + 32 hex is accepted on input.</summary>
public static partial class CallSid
{
    public static string New() =>
        "ID" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) + "-CA"
            + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsWellFormed(string? sid) => sid is not null && SidPattern().IsMatch(sid);

    [GeneratedRegex("^(ID[0-9a-fA-F]{32}-)?CA[0-9a-fA-F]{32}$")]
    private static partial Regex SidPattern();
}
