using System.Net;
using System.Xml.Linq;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace AppServer.Tests.Calls;

public class AppLifecycleTests
{
    [Fact]
    public async Task Restarting_the_app_keeps_the_stored_calls()
    {
        var sid = Webhook.NewCallSid();
        using var database = new TempDatabase();
        await using (var first = new AppServerFactory(databasePath: database.Path))
        {
            first.StartServer();
            using var client = first.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid))).StatusCode);
        }
        Assert.True(File.Exists(database.Path), "a factory keeps a database it was given");

        await using var second = new AppServerFactory(databasePath: database.Path);
        second.StartServer();
        using var agent = second.CreateAgentClient();
        var call = await agent.GetCallAsync(sid);
        Assert.Equal("alice", call.From);
    }

    [Fact]
    public async Task A_disposed_fixture_leaves_no_database_file_behind()
    {
        var fixture = new AppServerFixture();
        await fixture.InitializeAsync();
        var database = fixture.Factory.DatabasePath;
        var response = await fixture.Client.PostFormAsync("/incoming", Webhook.RestcommIncoming(Webhook.NewCallSid()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(File.Exists(database));
        Assert.True(File.Exists(database + "-wal"), "the write-ahead log exists while the app runs");

        await fixture.DisposeAsync();

        Assert.All(TempFiles.DatabaseFiles(database), file => Assert.False(File.Exists(file), $"{file} was left behind"));
    }

    [Fact]
    public void A_factory_disposed_synchronously_deletes_its_database_too()
    {
        string database;
        using (var factory = new AppServerFactory())
        {
            factory.StartServer();
            database = factory.DatabasePath;
            Assert.True(File.Exists(database));
        }

        Assert.All(TempFiles.DatabaseFiles(database), file => Assert.False(File.Exists(file), $"{file} was left behind"));
    }

    [Fact]
    public async Task A_temp_database_given_to_a_factory_is_deleted_by_its_owner_alone()
    {
        var database = new TempDatabase();
        await using (var factory = new AppServerFactory(databasePath: database.Path))
        {
            factory.StartServer();
        }
        Assert.True(File.Exists(database.Path));

        database.Dispose();

        Assert.All(TempFiles.DatabaseFiles(database.Path), file => Assert.False(File.Exists(file), $"{file} was left behind"));
    }

    [Fact]
    public async Task Called_number_picks_its_agent_and_others_fall_back_to_the_default()
    {
        await using var factory = new AppServerFactory(new Dictionary<string, string?>
        {
            ["Numbers:+15550002000:Agent"] = "alice",
            ["Agents:carol"] = "sip:carol@example.com",
            ["Numbers:+15550003000:Agent"] = "Carol",
        });
        factory.StartServer();
        using var client = factory.CreateClient();

        async Task<XElement> DialFor(string to)
        {
            var response = await client.PostFormAsync("/incoming", Webhook.RestcommIncoming(Webhook.NewCallSid(), to: to));
            return XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!.Element("Dial")!;
        }

        Assert.Equal("alice", (await DialFor("+15550002000")).Element("Client")?.Value);
        Assert.Equal("sip:carol@example.com", (await DialFor("+15550003000")).Element("Sip")?.Value);
        Assert.Equal("bob", (await DialFor("+19999999999")).Element("Client")?.Value);
    }

    [Theory]
    [InlineData("AppServer:PublicBaseUrl", "not a url", "AppServer:PublicBaseUrl")]
    [InlineData("AppServer:Webhooks:AllowedNetworks:0", "10.0.0.0/99", "AppServer:Webhooks:AllowedNetworks:0")]
    [InlineData("Agents:dave", "phone of dave", "Agents:dave")]
    [InlineData("Numbers:+15550009999:Agent", "nobody", "Numbers:+15550009999:Agent")]
    public async Task Bad_configuration_stops_start_up_with_a_message_naming_the_key(string key, string value, string named)
    {
        await using var factory = new AppServerFactory(new Dictionary<string, string?> { [key] = value });
        var error = Assert.ThrowsAny<Exception>(() => factory.StartServer());
        Assert.Contains(named, Flatten(error));
    }

    [Fact]
    public async Task Only_the_linked_appsettings_is_watched_not_the_working_directory()
    {
        // Reloading content-root appsettings*.json watches the whole working directory, where the default database
        // lives: every commit would wake the file watcher.
        await using var factory = new AppServerFactory(new Dictionary<string, string?> { ["AppServer:ReloadSettingsOnChange"] = "true" });
        factory.StartServer();
        var configuration = (IConfigurationRoot)factory.Services.GetRequiredService<IConfiguration>();
        var contentRoot = Folder(factory.Services.GetRequiredService<IHostEnvironment>().ContentRootPath);
        var json = configuration.Providers.OfType<JsonConfigurationProvider>().Select(p => p.Source).ToList();

        Assert.Contains(json, s => s.ReloadOnChange && s.Path == "appsettings.json" && Folder(Root(s)) == Folder(AppContext.BaseDirectory));
        Assert.Contains(json, s => Folder(Root(s)) == contentRoot);
        Assert.DoesNotContain(json, s => s.ReloadOnChange && Folder(Root(s)) == contentRoot);
    }

    private static string Root(FileConfigurationSource source) => (source.FileProvider as PhysicalFileProvider)?.Root ?? "";

    private static string Folder(string path) => path.Length == 0 ? "" : Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    private static string Flatten(Exception error) =>
        error is AggregateException aggregate ? string.Join("\n", aggregate.InnerExceptions.Select(Flatten)) : error.ToString();
}
