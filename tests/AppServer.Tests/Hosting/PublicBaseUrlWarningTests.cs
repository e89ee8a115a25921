using AppServer.Hosting;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace AppServer.Tests.Hosting;

/// <summary>A PublicBaseUrl on this machine that AppServer does not listen on is a start-up warning naming both.</summary>
public class PublicBaseUrlWarningTests
{
    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    public async Task A_local_PublicBaseUrl_on_another_port_is_a_warning_naming_it_and_the_listen_address(string host)
    {
        var port = LoopbackPorts.Free();
        var publicBaseUrl = $"http://{host}:{LoopbackPorts.Free()}";
        var settings = new Dictionary<string, string?> { ["AppServer:PublicBaseUrl"] = publicBaseUrl };
        await using var factory = new AppServerFactory(settings, port: port);

        factory.StartServer();

        var warning = Assert.Single(Warnings(factory));
        Assert.Contains(publicBaseUrl, warning.Message);
        Assert.Contains($"http://127.0.0.1:{port}", warning.Message);
    }

    [Theory]
    [InlineData("http://localhost:{0}")]
    [InlineData("http://127.0.0.1:{0}/")]
    public async Task A_local_PublicBaseUrl_that_AppServer_listens_on_is_not_a_warning(string template)
    {
        var port = LoopbackPorts.Free();
        var settings = new Dictionary<string, string?> { ["AppServer:PublicBaseUrl"] = string.Format(template, port) };
        await using var factory = new AppServerFactory(settings, port: port);

        factory.StartServer();

        Assert.Empty(Warnings(factory));
    }

    [Fact]
    public async Task A_PublicBaseUrl_on_another_machine_is_not_a_warning()
    {
        var settings = new Dictionary<string, string?> { ["AppServer:PublicBaseUrl"] = "https://appserver.example.com" };
        await using var factory = new AppServerFactory(settings);

        factory.StartServer();

        Assert.Empty(Warnings(factory));
    }

    [Theory]
    [InlineData("http://[::]:8080", "http://myhost:8080", true)]
    [InlineData("http://0.0.0.0:8080", "http://localhost:8080", true)]
    [InlineData("http://*:8080", "http://localhost:8080", true)]
    [InlineData("http://[::1]:8080", "http://localhost:8080", true)]
    [InlineData("http://localhost:8080", "http://127.0.0.1:8080", true)]
    [InlineData("http://127.0.0.1:8080", "http://localhost:8081", false)]
    [InlineData("http://127.0.0.1:8080", "https://localhost:8080", false)]
    [InlineData("https://127.0.0.1:443", "https://localhost", true)]
    [InlineData("http://127.0.0.1:8080", "http://myhost:8080", false)]
    public void A_listen_address_answers_a_URL_with_its_scheme_port_and_a_host_it_covers(string listening, string url, bool answers) =>
        Assert.Equal(answers, ListenAddresses.AnyAnswers(new Uri(url), [listening]));

    private static List<CapturedLog> Warnings(AppServerFactory factory) =>
        factory.Logs.Logs.Where(l => l.Level == LogLevel.Warning && l.Category == typeof(PublicBaseUrlCheck).FullName).ToList();
}
