using AppServer.Data.PostgreSql;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AppServer.Data;

public static class DataSetup
{
    public const string ConnectionStringName = "AppServer";

    /// <summary>
    /// The database of <c>AppServer:Database:Provider</c>: the embedded SQLite file (default) or a PostgreSQL server that
    /// several instances share. Either way the app asks for <see cref="AppDbContext"/> and <see cref="IDbContextFactory{AppDbContext}"/>.
    /// </summary>
    public static IServiceCollection AddAppDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        if (DatabaseProviders.Selected(configuration) == DatabaseProvider.PostgreSql)
        {
            services.AddPostgresDatabase();
        }
        else
        {
            services.AddSingleton<SqlitePragmas>();
            // Resolved lazily so test hosts and environment variables can replace the connection string.
            // Pooled: every webhook request resolves the call store, and a pooled context is reset instead of rebuilt. Stores
            // whose writes must be isolated from the request's context take short-lived ones from the factory.
            services.AddPooledDbContextFactory<AppDbContext>((sp, options) =>
            {
                var pragmas = sp.GetRequiredService<SqlitePragmas>();
                options.UseSqlite(pragmas.WithTimeout(ConnectionString(sp.GetRequiredService<IConfiguration>())))
                       .AddInterceptors(pragmas);
            });
        }
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

    /// <summary>
    /// Applies the migrations of the configured provider, so a fresh checkout (or a fresh PostgreSQL database) needs no manual
    /// step. SQLite: creates the database folder and turns on WAL. PostgreSQL: several instances may start at once; EF's
    /// migration lock lets one apply while the others wait. A server that cannot be reached stops start-up with one clear message.
    /// </summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        // Read (and so validated) before anything touches a database: a misspelt provider must not migrate a SQLite file.
        var provider = DatabaseProviders.Parse(app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.Provider);
        if (provider == DatabaseProvider.PostgreSql)
        {
            await PostgresSetup.MigrateAsync(app.Services, app.Configuration);
            return;
        }

        var builder = new SqliteConnectionStringBuilder(ConnectionString(app.Configuration));
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder) && builder.Mode != SqliteOpenMode.Memory) Directory.CreateDirectory(folder);

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.MigrateAsync();
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;");
    }
}
