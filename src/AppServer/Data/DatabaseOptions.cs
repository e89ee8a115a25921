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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DatabaseProviders.Parse(Provider) is null)
            yield return new ValidationResult(
                $"{Section}:Provider must be {DatabaseProviders.Sqlite} or {DatabaseProviders.PostgreSql}, got '{Provider}'.",
                [nameof(Provider)]);
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
