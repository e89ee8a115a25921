using System.Text.Json;
using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.Hosting;

/// <summary>
/// A published AppServer listens where the standard variables say (nothing in appsettings.json overrides them), and
/// logs where. Each test takes a free loopback port and probes /health/live on 127.0.0.1.
/// </summary>
[Collection(PublishedAppServerCollection.Name)]
public class ListenAddressTests(PublishedAppServer published)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task ASPNETCORE_URLS_chooses_the_listen_address_of_a_published_build()
    {
        var port = LoopbackPorts.Free();
        await using var app = published.Start(new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}" });

        await app.WaitUntilAnswersAsync(port, "/health/live", StartTimeout);

        Assert.Contains(app.OutputLines, l => l.Contains($"Now listening on: http://127.0.0.1:{port}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ASPNETCORE_HTTP_PORTS_chooses_the_port_of_a_published_build()
    {
        var port = LoopbackPorts.Free();
        await using var app = published.Start(new Dictionary<string, string?> { ["ASPNETCORE_HTTP_PORTS"] = port.ToString() });

        await app.WaitUntilAnswersAsync(port, "/health/live", StartTimeout);

        Assert.Contains(app.OutputLines, l => l.Contains($"Now listening on: http://[::]:{port}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_launch_profile_default_applies_only_when_nothing_else_chose_the_address()
    {
        var fallback = LoopbackPorts.Free();
        await using (var alone = published.Start(new Dictionary<string, string?>
        {
            ["APPSERVER_DEFAULT_URLS"] = $"http://127.0.0.1:{fallback}",
        }))
            await alone.WaitUntilAnswersAsync(fallback, "/health/live", StartTimeout);

        var port = LoopbackPorts.Free();
        await using var overridden = published.Start(new Dictionary<string, string?>
        {
            ["APPSERVER_DEFAULT_URLS"] = $"http://127.0.0.1:{LoopbackPorts.Free()}",
            ["ASPNETCORE_HTTP_PORTS"] = port.ToString(),
        });
        await overridden.WaitUntilAnswersAsync(port, "/health/live", StartTimeout);
        Assert.Contains(overridden.OutputLines, l => l.Contains($"Now listening on: http://[::]:{port}", StringComparison.Ordinal));
    }

    [Fact]
    public void Dotnet_run_defaults_to_localhost_5080_through_the_launch_profile()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "AppServer.sln"))) root = root.Parent!;
        using var settings = JsonDocument.Parse(File.ReadAllText(
            Path.Combine(root.FullName, "src", "AppServer", "Properties", "launchSettings.json")));
        var profile = settings.RootElement.GetProperty("profiles").GetProperty("AppServer");

        var variables = profile.GetProperty("environmentVariables");
        Assert.Equal("http://localhost:5080", variables.GetProperty("APPSERVER_DEFAULT_URLS").GetString());
        // applicationUrl would make dotnet run export ASPNETCORE_URLS over the caller's own settings.
        Assert.False(profile.TryGetProperty("applicationUrl", out _));
    }

    [Fact]
    public async Task The_urls_argument_beats_ASPNETCORE_URLS()
    {
        var port = LoopbackPorts.Free();
        var ignored = LoopbackPorts.Free();
        await using var app = published.Start(new Dictionary<string, string?> { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ignored}" },
            "--urls", $"http://127.0.0.1:{port}");

        await app.WaitUntilAnswersAsync(port, "/health/live", StartTimeout);

        Assert.DoesNotContain(app.OutputLines, l => l.Contains($":{ignored}", StringComparison.Ordinal));
    }
}
