using System.Security.Cryptography;
using System.Text;

namespace AppServer.Security;

/// <summary>Constant-time comparison of secrets (hashing first hides the length too).</summary>
public static class SecretComparer
{
    public static bool AreEqual(string? presented, string expected)
    {
        if (presented is null) return false;
        var a = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var b = SHA256.HashData(Encoding.UTF8.GetBytes(expected));
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    public static bool MatchesAny(string? presented, IEnumerable<string> expected)
    {
        var match = false;
        foreach (var key in expected) match |= AreEqual(presented, key); // no early exit: same time for every key
        return match;
    }
}
