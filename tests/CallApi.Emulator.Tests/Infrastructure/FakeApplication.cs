using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CallApi.Emulator.Tests.Infrastructure;

/// <summary>One request the emulator made to the application, with query and form parameters merged, and when it arrived.</summary>
public sealed record RecordedRequest(string Path, string Method, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string,
    string> Form)
{
    public DateTimeOffset At { get; init; } = DateTimeOffset.UtcNow;

    public string? this[string name] => Form.TryGetValue(name, out var f) ? f : Query.TryGetValue(name, out var q) ? q : null;
}

/// <summary>
/// A scripted RCML application on 127.0.0.1:0: each path answers a fixed document (or a status code), optionally a
/// different one per CallSid, and every request is recorded. Paths are unique per test, so tests sharing one
/// instance do not see each other.
/// </summary>
public sealed class FakeApplication : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _scripts = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Path, string CallSid), string> _perCall = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication? _app;

    public Uri BaseAddress { get; private set; } = null!;

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _app = builder.Build();
        _app.MapMethods("/{**path}", ["GET", "POST"], HandleAsync);
        await _app.StartAsync();
        BaseAddress = new Uri(_app.Urls.First());
    }

    /// <summary>Answers <paramref name="rcml"/> as application/xml at <paramref name="path"/>; returns its absolute URL.</summary>
    public string Script(string path, string rcml) => Answer(path, 200, rcml);

    /// <summary>Answers any status and body (garbage, 500 …) at <paramref name="path"/>.</summary>
    public string Answer(string path, int status, string body)
    {
        _scripts[path] = (status, body);
        return Url(path);
    }

    /// <summary>
    /// Answers <paramref name="rcml"/> at <paramref name="path"/> to requests for <paramref name="callSid"/> only; returns the URL.
    /// </summary>
    public string ScriptFor(string path, string callSid, string rcml)
    {
        _perCall[(path.ToLowerInvariant(), callSid)] = rcml;
        return Url(path);
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    public IReadOnlyList<RecordedRequest> RequestsTo(string path) =>
        _requests.Where(r => string.Equals(r.Path, path, StringComparison.OrdinalIgnoreCase)).ToList();

    public RecordedRequest SingleRequestTo(string path)
    {
        var requests = RequestsTo(path);
        Assert.True(requests.Count == 1, $"expected one request to {path}, got {requests.Count}");
        return requests[0];
    }

    private async Task<IResult> HandleAsync(HttpRequest request)
    {
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        var form = new Dictionary<string, string>();
        if (request.HasFormContentType)
        {
            foreach (var field in await request.ReadFormAsync())
            {
                form[field.Key] = field.Value.ToString();
            }
        }
        var path = request.Path.Value ?? "/";
        var recorded = new RecordedRequest(path, request.Method, query, form);
        _requests.Enqueue(recorded);
        if (recorded["CallSid"] is { } callSid && _perCall.TryGetValue((path.ToLowerInvariant(), callSid), out var forCall))
        {
            return Results.Text(forCall, "application/xml");
        }
        return _scripts.TryGetValue(path, out var script)
            ? Results.Text(script.Body, "application/xml", statusCode: script.Status)
            : Results.Text("<Response/>", "application/xml");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
