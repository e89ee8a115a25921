using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace AppServer.Data.PostgreSql;

/// <summary>
/// <see cref="AppDbContext"/> on PostgreSQL: the same model, its own migrations (Data/Migrations/PostgreSql; EF keeps one
/// migration set per context type). Times are <c>timestamp with time zone</c> rather than SQLite's UTC ticks: PostgreSQL
/// compares and orders them natively and they read as times in psql. The app writes and reads UTC only, so both providers
/// answer the same values (PostgreSQL keeps microseconds; nothing compares finer than that).
/// </summary>
public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder conventions)
    {
        // No ticks conversion: see the class comment.
    }
}

/// <summary>
/// Lets <c>dotnet ef migrations add … --context PostgresAppDbContext</c> build the model without a server or the host's
/// configuration (tools/add-migration.sh). Nothing connects: adding a migration only compares models.
/// </summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAppDbContext>
{
    public PostgresAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql("Host=localhost;Database=appserver").Options);
}
