using System.Text.RegularExpressions;
using AppServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.OpenApi;

/// <summary>The repository-root AppServer.http has a request for every route the app maps, with every method.</summary>
public sealed partial class HttpFileTests(AppServerFixture app) : IClassFixture<AppServerFixture>
{
    private static readonly string HttpFile = Path.Combine(RepositoryRoot(), "AppServer.http");

    [Fact]
    public void Every_route_and_method_has_a_request_in_AppServer_http()
    {
        var requests = RequestLine().Matches(File.ReadAllText(HttpFile))
            .Select(m => (Method: m.Groups["method"].Value, Path: m.Groups["path"].Value)).ToList();
        Assert.NotEmpty(requests);

        var endpoints = app.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null && !IsReferencePageFile(e)).ToList();
        var missing = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var pattern = PatternRegex(endpoint.RoutePattern.RawText!);
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods)
                if (!requests.Any(r => r.Method == method && pattern.IsMatch(r.Path)))
                    missing.Add($"{method} {endpoint.RoutePattern.RawText}");
        }
        Assert.True(missing.Count == 0, "routes without a request in AppServer.http: " + string.Join(", ", missing));
    }

    [Fact]
    public void Its_variables_name_the_host_the_key_and_a_callSid()
    {
        var text = File.ReadAllText(HttpFile);
        Assert.Contains("@host = http://localhost:5080", text);
        Assert.Contains("@key = dev-agent-key", text);
        Assert.Matches(@"(?m)^@callSid = \S+", text);
    }

    // The reference page's own script, style and icon files (/scalar/scalar.js, …) are the page, not routes to call.
    private static bool IsReferencePageFile(RouteEndpoint endpoint) =>
        endpoint.RoutePattern.RawText is { } raw && raw.StartsWith("/scalar/", StringComparison.Ordinal)
        && Path.HasExtension(raw);

    /// <summary>"/calls/{callSid}/mute" → a path of the file, its {param}s being a variable or a value, and any query.</summary>
    private static Regex PatternRegex(string pattern)
    {
        var parts = RouteParameter().Split(pattern.Trim('/')).Select(Regex.Escape);
        // A route parameter ({callSid}, {*path}, {name?}) stands for one segment; an optional one may be absent.
        var body = string.Join(@"[^/?\s]*", parts);
        return new Regex($"^/{body}/?(\\?.*)?$", RegexOptions.IgnoreCase);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AppServer.sln"))) return dir.FullName;
        throw new InvalidOperationException("AppServer.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"(?m)^(?<method>GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \{\{host\}\}(?<path>\S*)")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex RouteParameter();
}
