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
