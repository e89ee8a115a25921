using System.Security.Cryptography;
using System.Text;

namespace AppServer.Actions;

/// <summary>Identifiers, idempotency keys and request fingerprints of actions.</summary>
public static class ActionRules
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int MaxIdempotencyKeyLength = 128;

    public static string? IdempotencyKeyProblem(string key) =>
        key.Length > MaxIdempotencyKeyLength ? $"Idempotency-Key is longer than {MaxIdempotencyKeyLength} characters."
        : key.Any(char.IsControl) ? "Idempotency-Key may not contain control characters."
        : null;

    public static string NewActionId() => "TR" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>A digest of what was asked, so a reused Idempotency-Key with another request is told apart.</summary>
    public static string Fingerprint(params object?[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f",
            parts.Select(p => p?.ToString() ?? "\u0000")))));
}

/// <summary>Action ids as <see cref="ActionRules.NewActionId"/> makes them: TR + 32 lower-case hex digits.</summary>
public static partial class ActionIds
{
    public static bool IsWellFormed(string? id) => id is not null && Shape().IsMatch(id);

    [System.Text.RegularExpressions.GeneratedRegex("^TR[0-9a-f]{32}$")]
    private static partial System.Text.RegularExpressions.Regex Shape();
}
