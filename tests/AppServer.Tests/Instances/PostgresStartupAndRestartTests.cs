using System.Net;
using System.Net.Sockets;
using AppServer.Data;
using AppServer.Data.PostgreSql;
using AppServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace AppServer.Tests.Instances;

/// <summary>What happens around the database itself: an unreachable server, a restart under a live console, migrations.</summary>
public sealed class PostgresStartupAndRestartTests
{
    [Fact]
    public void An_unreachable_server_stops_start_up_with_a_message_naming_the_connection_string_and_the_host()
    {
        var port = ClosedPort();
        using var factory = new AppServerFactory(new Dictionary<string, string?>
        {
            ["AppServer:Database:Provider"] = "PostgreSQL",
            ["ConnectionStrings:AppServer"] = $"Host=127.0.0.1;Port={port};Database=nowhere;Username=app;Password=s3cret;Timeout=3",
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.StartServer());

        var unavailable = Assert.IsType<DatabaseUnavailableException>(error is AggregateException a ? a.InnerExceptions.Single() : error);
        Assert.Contains("ConnectionStrings:AppServer", unavailable.Message);
        Assert.Contains($"Host=127.0.0.1;Port={port};Database=nowhere;Username=app", unavailable.Message);
        Assert.DoesNotContain("s3cret", unavailable.Message);
    }

    [Fact]
    public void A_misspelt_provider_stops_start_up_naming_the_key()
    {
        using var factory = new AppServerFactory(new Dictionary<string, string?> { ["AppServer:Database:Provider"] = "Oracle" });
        var error = Assert.ThrowsAny<Exception>(() => factory.StartServer());
        Assert.Contains("AppServer:Database:Provider", error.ToString());
    }

    /// <summary>
    /// The console of one instance keeps working through a database restart: its listener reconnects and the stream sends a
    /// fresh snapshot, so a change made while nobody listened is still shown. A server of its own: the shared one stays up.
    /// </summary>
    [Fact]
    public async Task The_live_feed_survives_a_database_restart_and_resends_a_snapshot()
    {
        using var server = PostgresServer.Start();
        using var database = new PostgresDatabase(server);
        await using var writer = new AppInstance(new AppServerFactory(postgres: database));
        await using var reader = new AppInstance(new AppServerFactory(postgres: database));
        writer.Start();
        reader.Start();
        await using var console = await EventStreamReader.OpenAsync(reader.Agent);
        Assert.Equal("snapshot", (await console.NextAsync(TimeSpan.FromSeconds(8))).Type);

        server.Restart();
        // The first requests after the restart may meet connections the restart broke: the platform would retry too.
        var sid = Webhook.NewCallSid();
        await EventuallyOkAsync(() => writer.Client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid)));

        var resnapshot = await console.NextMatchingAsync(e => e.Type == "snapshot", TimeSpan.FromSeconds(15));
        if (!resnapshot.Data.Calls.Any(c => c.CallSid == sid))
            await console.NextMatchingAsync(e => e.Data.Calls.Any(c => c.CallSid == sid), TimeSpan.FromSeconds(5));

        // And the feed is live again: the next change arrives as a change.
        var next = Webhook.NewCallSid();
        await EventuallyOkAsync(() => writer.Client.PostFormAsync("/incoming", Webhook.RestcommIncoming(next)));
        var live = await console.NextMatchingAsync(e => e.Data.Calls.Any(c => c.CallSid == next), TimeSpan.FromSeconds(5));
        Assert.Equal("calls", live.Type);
    }

    [Fact]
    public async Task Both_providers_migrations_match_the_model()
    {
        // A model change with a migration for one provider only would leave the other's schema behind: tools/add-migration.sh.
        await using var sqlite = new AppServerFactory();
        sqlite.StartServer();
        Assert.False(await sqlite.QueryDatabaseAsync(db => Task.FromResult(db.Database.HasPendingModelChanges())),
            "SQLite's migrations lag the model: run tools/add-migration.sh Name");
        await using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(postgres.Database.HasPendingModelChanges(), "PostgreSQL's migrations lag the model: run tools/add-migration.sh Name");
        // Every migration belongs to one of the two contexts (a migration for a third would apply nowhere).
        var owners = typeof(AppDbContext).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Microsoft.EntityFrameworkCore.Migrations.Migration)))
            .Select(t => (t.GetCustomAttributes(typeof(DbContextAttribute), false).SingleOrDefault() as DbContextAttribute)?.ContextType)
            .Distinct().ToList();
        Assert.Equal([typeof(AppDbContext), typeof(PostgresAppDbContext)], owners.OrderBy(t => t?.Name));
    }

    private static async Task EventuallyOkAsync(Func<Task<HttpResponseMessage>> send)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                if ((await send()).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) when (attempt < 20)
            {
                // the server answered nothing: try again
            }
            Assert.True(attempt < 20, "the instance kept failing after the database restart");
            await Task.Delay(250);
        }
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
