using System.Text.Json;
using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.Hosting;

/// <summary>Logging:Console:FormatterName=json makes the console one JSON object per line, secrets still masked.</summary>
[Collection(PublishedAppServerCollection.Name)]
public class JsonConsoleLogTests(PublishedAppServer published)
{
    private const string Secret = "json-log-secret-token";

    [Fact]
    public async Task The_json_formatter_writes_one_object_per_line_with_the_token_masked()
    {
        var port = LoopbackPorts.Free();
        await using var app = published.Start(new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information", // the framework's "Request starting … ?token=…"
        });
        await app.WaitUntilAnswersAsync(port, "/health/live", TimeSpan.FromSeconds(90));
        using (var http = new HttpClient()) await http.GetAsync($"http://127.0.0.1:{port}/health/live?token={Secret}");

        await Eventually.HoldsAsync(() => Task.FromResult(app.OutputLines.Any(l => l.Contains("token=***", StringComparison.Ordinal))),
            "the request line, masked");

        var lines = app.OutputLines.Where(l => l.Length > 0).ToList();
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement).ToList(); // each line alone is a JSON object
        Assert.All(entries, e =>
        {
            Assert.True(e.TryGetProperty("LogLevel", out _));
            Assert.True(e.TryGetProperty("Category", out _));
            Assert.True(e.TryGetProperty("Message", out _));
        });
        Assert.Contains(entries, e => e.GetProperty("Message").GetString()!.Contains($"Now listening on: http://127.0.0.1:{port}"));
        Assert.DoesNotContain(lines, l => l.Contains(Secret, StringComparison.Ordinal));
    }
}
