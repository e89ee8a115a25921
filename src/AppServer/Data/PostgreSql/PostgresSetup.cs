using System.Net.Sockets;
using AppServer.Calls;
using AppServer.Calls.Store;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace AppServer.Data.PostgreSql;

/// <summary>
/// <c>AppServer:Database:Provider = PostgreSQL</c>: one <see cref="NpgsqlDataSource"/> (the connection pool) for EF Core, the
/// call writer and the change feed; <see cref="PostgresAppDbContext"/> behind the app's <see cref="AppDbContext"/>; the row-locking
/// call committer; NOTIFY/LISTEN between instances. Registered before AddCalls, whose SQLite defaults are TryAdd.
/// </summary>
public static class PostgresSetup
{
    /// <summary>
    /// Statements prepared per connection when the connection string does not say (<c>Max Auto Prepare</c>): the webhook path
    /// runs the same few statements over and over, and a prepared one skips parsing and planning.
    /// </summary>
    public const int DefaultMaxAutoPrepare = 32;

    public static IServiceCollection AddPostgresDatabase(this IServiceCollection services)
    {
        services.AddSingleton(sp => CreateDataSource(DataSetup.ConnectionString(sp.GetRequiredService<IConfiguration>())));
        services.AddPooledDbContextFactory<PostgresAppDbContext>((sp, options) =>
            options.UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<IDbContextFactory<AppDbContext>>(sp =>
            new BaseContextFactory<PostgresAppDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresAppDbContext>>()));
        // Row locks order the writers; this process's gate has nothing to add.
        services.TryAddSingleton(SqliteWriteGate.Open());
        services.TryAddSingleton<ICallBatchCommitter, PostgresCallBatchCommitter>();
        services.AddSingleton<PostgresChangeRelay>();
        services.TryAddSingleton<ICallChangeBroadcast>(sp => sp.GetRequiredService<PostgresChangeRelay>());
        services.AddHostedService(sp => sp.GetRequiredService<PostgresChangeRelay>());
        return services;
    }

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        return builder.Build();
    }

    /// <summary>Applies the PostgreSQL migrations (creating the database when it does not exist and the role may).</summary>
    public static async Task MigrateAsync(IServiceProvider services, IConfiguration configuration)
    {
        try
        {
            // Instances starting together must not apply one migration twice: EF Core's own lock is held per migration's
            // transaction, so a second instance that listed the pending migrations first re-applies one the first just did.
            // A session advisory lock on the database serializes whole migrate runs; the later one then finds nothing to do.
            await using var connection = await OpenIfExistsAsync(services.GetRequiredService<NpgsqlDataSource>());
            if (connection is not null) await ExecuteAsync(connection, $"SELECT pg_advisory_lock({MigrationLockKey})");
            await using var scope = services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.MigrateAsync();
            if (connection is not null) await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({MigrationLockKey})");
        }
        catch (Exception e) when (IsUnreachable(e))
        {
            throw new DatabaseUnavailableException(Describe(DataSetup.ConnectionString(configuration), e), e);
        }
    }

    /// <summary>The advisory lock key of a migrate run ("AppS").</summary>
    private const long MigrationLockKey = 0x41707053;

    /// <summary>An open connection to the database, or null when it does not exist yet (migrating creates it).</summary>
    private static async Task<NpgsqlConnection?> OpenIfExistsAsync(NpgsqlDataSource dataSource)
    {
        var connection = dataSource.CreateConnection();
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            await connection.DisposeAsync();
            return null;
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static bool IsUnreachable(Exception e) =>
        e is NpgsqlException or SocketException or TimeoutException || (e.InnerException is { } inner && IsUnreachable(inner));

    /// <summary>Where it tried (never the password) and the reason, in one line naming the keys to check.</summary>
    private static string Describe(string connectionString, Exception error)
    {
        var target = "an unreadable connection string";
        try
        {
            var parsed = new NpgsqlConnectionStringBuilder(connectionString);
            target = $"Host={parsed.Host};Port={parsed.Port};Database={parsed.Database};Username={parsed.Username}";
        }
        catch (ArgumentException)
        {
            // reported as it is below
        }
        var reason = error;
        while (reason.InnerException is not null && reason is not PostgresException && reason is not SocketException)
            reason = reason.InnerException;
        return $"Cannot use the PostgreSQL database of ConnectionStrings:{DataSetup.ConnectionStringName} ({target}): {reason.Message} "
               + $"Check that the server runs and accepts this role, or set {DatabaseOptions.Section}:Provider to Sqlite.";
    }

    /// <summary>Hands out the provider's context as the app's <see cref="AppDbContext"/>.</summary>
    private sealed class BaseContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<AppDbContext>
        where TContext : AppDbContext
    {
        public AppDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<AppDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
            await inner.CreateDbContextAsync(cancellationToken);
    }
}

/// <summary>The configured database cannot be reached or used at start-up; the message says where and why.</summary>
public sealed class DatabaseUnavailableException(string message, Exception inner) : Exception(message, inner);
