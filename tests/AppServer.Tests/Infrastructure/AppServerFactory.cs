using System.Net;
using AppServer.Configuration;
using AppServer.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AppServer.Tests.Infrastructure;

/// <summary>
/// AppServer on a real Kestrel loopback port with its own SQLite file, or its own database on the shared PostgreSQL
/// test server (<see cref="TestProvider.PostgreSql"/>). Settings override the repository-root appsettings.json exactly as
/// environment variables would. A database the factory made up itself is deleted (a SQLite file with its -wal and -shm, a
/// PostgreSQL database dropped) once the host has stopped; one passed in belongs to the caller.
/// </summary>
public class AppServerFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-agent-key";
    private const string ProviderKey = "AppServer:Database:Provider";

    private readonly Dictionary<string, string?> _settings;

    /// <param name="databasePath">
    /// A database to use and keep, e.g. a <see cref="TempDatabase"/> handed to two factories in turn (a restart);
    /// null (the default) for a fresh temporary one the factory deletes when disposed.
    /// </param>
    /// <param name="port">The loopback port to listen on; 0 (the default) lets the system pick a free one.</param>
    /// <param name="provider">SQLite (a file) or PostgreSQL (a fresh database on <see cref="PostgresServer.Shared"/>).</param>
    /// <param name="postgres">With PostgreSQL: a database to use and keep, e.g. one shared by two instances.</param>
    public AppServerFactory(IDictionary<string, string?>? settings = null, string? databasePath = null, int port = 0,
        TestProvider provider = TestProvider.Sqlite, PostgresDatabase? postgres = null)
    {
        Provider = postgres is null ? provider : TestProvider.PostgreSql;
        _settings = new Dictionary<string, string?>
        {
            ["AppServer:ApiKeys:0"] = ApiKey,
            ["AppServer:PublicBaseUrl"] = "http://appserver.test",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        if (Provider == TestProvider.PostgreSql)
        {
            OwnsDatabase = postgres is null;
            Postgres = postgres ?? new PostgresDatabase();
            DatabasePath = "";
            foreach (var (key, value) in Postgres.Settings) _settings[key] = value;
        }
        else
        {
            OwnsDatabase = databasePath is null;
            DatabasePath = databasePath ?? TempFiles.NewDatabasePath();
            _settings["ConnectionStrings:AppServer"] = $"Data Source={DatabasePath}";
        }
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
        UseKestrel(options => options.Listen(IPAddress.Loopback, port));
    }

    public TestProvider Provider { get; }

    /// <summary>The SQLite file ("" with PostgreSQL).</summary>
    public string DatabasePath { get; }

    /// <summary>The PostgreSQL database (null with SQLite).</summary>
    public PostgresDatabase? Postgres { get; }

    /// <summary>True when <see cref="DatabasePath"/> was made up here, and so is deleted on dispose.</summary>
    public bool OwnsDatabase { get; }

    /// <summary>The real loopback address the app listens on.</summary>
    public Uri BaseAddress => ClientOptions.BaseAddress;

    /// <summary>What the app logged (every category, every level the app's filters let through).</summary>
    public LogCapture Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
        builder.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(Logs));
        // Program reads the provider while it registers services, before ConfigureAppConfiguration above applies: a host
        // setting is there from the start (as an environment variable or argument would be).
        if (_settings.TryGetValue(ProviderKey, out var provider)) builder.UseSetting(ProviderKey, provider);
        // Each host watching appsettings.json costs an inotify instance, and the suite runs dozens side by side (it peaked
        // at 127 of Debian's 128); only the tests about reloading need it (they set it to true).
        var reload = _settings.GetValueOrDefault(ConfigurationSetup.ReloadSettingsKey) ?? "false";
        builder.UseSetting(ConfigurationSetup.ReloadSettingsKey, reload);
    }

    /// <summary>A client that sends the agent API key.</summary>
    public HttpClient CreateAgentClient()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        return client;
    }

    /// <summary>Runs a query against the app's own database, in a fresh scope.</summary>
    public async Task<T> QueryDatabaseAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        await using var scope = Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <remarks>The synchronous <c>Dispose()</c> of <see cref="WebApplicationFactory{TEntryPoint}"/> ends here too.</remarks>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync(); // stops the host: nothing writes the file any more
        if (!OwnsDatabase) return;
        if (Postgres is not null) Postgres.Dispose();
        else TempFiles.DeleteDatabase(DatabasePath);
    }
}

/// <summary>The database provider a test runs against.</summary>
public enum TestProvider
{
    Sqlite,
    PostgreSql,
}

public static class TempFiles
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "appserver-tests");

    public static string NewDatabasePath()
    {
        Directory.CreateDirectory(Root);
        return Path.Combine(Root, $"{Guid.NewGuid():N}.db");
    }

    /// <summary>The files SQLite may keep for a database: itself, its write-ahead log, shared-memory index and journal.</summary>
    public static IEnumerable<string> DatabaseFiles(string path) => [path, path + "-wal", path + "-shm", path + "-journal"];

    /// <summary>Deletes a database and its side files; the connections SQLite pools for it are closed first.</summary>
    public static void DeleteDatabase(string path)
    {
        // Microsoft.Data.Sqlite keeps closed connections open in a pool: one would hold the file (and the last one
        // to close checkpoints the WAL into it). Clearing every pool costs other hosts a reopen at most.
        SqliteConnection.ClearAllPools();
        foreach (var file in DatabaseFiles(path)) File.Delete(file);
    }
}

/// <summary>
/// A temporary SQLite file for tests that give one database to several <see cref="AppServerFactory"/>s in turn
/// (a restart); the factories leave it alone, disposing this deletes it.
/// </summary>
public sealed class TempDatabase : IDisposable
{
    public string Path { get; } = TempFiles.NewDatabasePath();

    public void Dispose() => TempFiles.DeleteDatabase(Path);
}
