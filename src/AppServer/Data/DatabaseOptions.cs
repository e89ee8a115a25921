using System.ComponentModel.DataAnnotations;

namespace AppServer.Data;

/// <summary>The <c>AppServer:Database</c> section: which database the instances share.</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "AppServer:Database";

    /// <summary>
    /// <see cref="DatabaseProviders.Sqlite"/> (the embedded file, the default) or <see cref="DatabaseProviders.PostgreSql"/>.
    /// </summary>
    public string Provider { get; set; } = DatabaseProviders.Sqlite;

    /// <summary>
    /// SQLite: how long a write waits for a lock another connection or process holds before it fails. Both SQLite's own
    /// <c>busy_timeout</c> and the connection's command timeout are set to it: Microsoft.Data.Sqlite retries a busy
    /// statement until its command timeout (30 s by default), which made webhooks wait 30–39 s behind a held lock.
    /// </summary>
    [Range(1, 300, ErrorMessage = "AppServer:Database:BusyTimeoutSeconds must be between 1 and 300.")]
    public int BusyTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// The longest a webhook waits for its write to commit. When the database cannot take writes it is answered 503 with
    /// Retry-After by then, and the platform sends it again.
    /// </summary>
    [Range(1, 300, ErrorMessage = "AppServer:Database:WriteTimeoutSeconds must be between 1 and 300.")]
    public int WriteTimeoutSeconds { get; set; } = 10;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DatabaseProviders.Parse(Provider) is null)
            yield return new ValidationResult(
                $"{Section}:Provider must be {DatabaseProviders.Sqlite} or {DatabaseProviders.PostgreSql}, got '{Provider}'.",
                [nameof(Provider)]);
        if (WriteTimeoutSeconds < BusyTimeoutSeconds)
            yield return new ValidationResult(
                $"{Section}:WriteTimeoutSeconds ({WriteTimeoutSeconds}) must be at least {Section}:BusyTimeoutSeconds "
                + $"({BusyTimeoutSeconds}): a write waits for a lock before it can fail.", [nameof(WriteTimeoutSeconds)]);
    }
}

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

public static class DatabaseProviders
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSQL";

    public static DatabaseProvider? Parse(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        null or "" or "SQLITE" => DatabaseProvider.Sqlite,
        "POSTGRESQL" or "POSTGRES" => DatabaseProvider.PostgreSql,
        _ => null,
    };

    /// <summary>
    /// The provider chosen in configuration, read while services are registered (each provider registers its own
    /// context type and writers). An unknown value falls back to SQLite here and is reported by the options validation.
    /// </summary>
    public static DatabaseProvider Selected(IConfiguration configuration) =>
        Parse(configuration[$"{DatabaseOptions.Section}:Provider"]) ?? DatabaseProvider.Sqlite;
}
