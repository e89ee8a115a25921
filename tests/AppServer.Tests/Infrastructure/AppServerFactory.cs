using System.Net;
using AppServer.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Infrastructure;

/// <summary>
/// AppServer on a real Kestrel loopback port with its own SQLite file. Settings override the
/// repository-root appsettings.json exactly as environment variables would.
/// </summary>
public class AppServerFactory : WebApplicationFactory<Program>
{
    public const string ApiKey = "test-agent-key";

    private readonly Dictionary<string, string?> _settings;

    /// <param name="port">The loopback port to listen on; 0 (the default) lets the system pick a free one.</param>
    public AppServerFactory(IDictionary<string, string?>? settings = null, string? databasePath = null, int port = 0)
    {
        DatabasePath = databasePath ?? TempFiles.NewDatabasePath();
        _settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:AppServer"] = $"Data Source={DatabasePath}",
            ["AppServer:ApiKeys:0"] = ApiKey,
            ["AppServer:PublicBaseUrl"] = "http://appserver.test",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) _settings[key] = value;
        UseKestrel(options => options.Listen(IPAddress.Loopback, port));
    }

    public string DatabasePath { get; }

    /// <summary>The real loopback address the app listens on.</summary>
    public Uri BaseAddress => ClientOptions.BaseAddress;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.ConfigureAppConfiguration((_, config) => config.AddInMemoryCollection(_settings));
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
}

public static class TempFiles
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "appserver-tests");

    public static string NewDatabasePath()
    {
        Directory.CreateDirectory(Root);
        return Path.Combine(Root, $"{Guid.NewGuid():N}.db");
    }
}
