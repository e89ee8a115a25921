using System.Security.Cryptography;
using System.Text;

namespace AppServer.Configuration;

/// <summary>
/// How an agent's key is kept in configuration: <c>sha256:</c> + the key's SHA-256 in lower-case hex, so a leaked
/// appsettings file or environment dump does not hand out working keys.
/// </summary>
public static class AgentKeyHash
{
    public const string Prefix = "sha256:";

    public static bool IsValid(string? hash) =>
        hash is { Length: 71 } && hash.StartsWith(Prefix, StringComparison.Ordinal) && hash[Prefix.Length..].All(Uri.IsHexDigit);

    public static string Of(string key) => Prefix + Convert.ToHexStringLower(HashOf(key));

    /// <summary>The key's SHA-256, as the bytes <see cref="Bytes"/> reads back from a stored hash.</summary>
    public static byte[] HashOf(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The hash as bytes, for a constant-time comparison.</summary>
    public static byte[] Bytes(string hash) => Convert.FromHexString(hash.AsSpan(Prefix.Length));
}
