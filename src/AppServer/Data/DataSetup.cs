using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace AppServer.Data;

public static class DataSetup
{
    public const string ConnectionStringName = "AppServer";

    public static IServiceCollection AddAppDatabase(this IServiceCollection services)
    {
        services.AddSingleton<SqlitePragmas>();
        // Resolved lazily so test hosts and environment variables can replace the connection string.
        // Pooled: every webhook request resolves the call store, and a pooled context is reset instead of rebuilt. Stores
        // whose writes must be isolated from the request's context take short-lived ones from the factory.
        services.AddPooledDbContextFactory<AppDbContext>((sp, options) =>
            options.UseSqlite(ConnectionString(sp.GetRequiredService<IConfiguration>()))
                   .AddInterceptors(sp.GetRequiredService<SqlitePragmas>()));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext());
        return services;
    }

    public static string ConnectionString(IConfiguration configuration)
    {
        var text = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(text))
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set (e.g. \"Data Source=appserver.db\").");
        return text;
    }

    /// <summary>Creates the database folder, applies migrations and turns on WAL, so a fresh checkout needs no manual step.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        var builder = new SqliteConnectionStringBuilder(ConnectionString(app.Configuration));
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder) && builder.Mode != SqliteOpenMode.Memory) Directory.CreateDirectory(folder);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
    }
}
