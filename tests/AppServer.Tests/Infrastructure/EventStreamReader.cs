using System.Net.ServerSentEvents;

namespace AppServer.Tests.Infrastructure;

/// <summary>One event of the stream: its type (snapshot, calls, ping) and its data, read strictly.</summary>
public sealed record ServerSentEvent(string Type, ApiCallEvent Data);

/// <summary>Reads <c>GET /calls/events</c> with .NET's own SSE parser; every wait is bounded.</summary>
public sealed class EventStreamReader : IAsyncDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _events;
    private readonly CancellationTokenSource _closed = new();

    private EventStreamReader(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _events = SseParser.Create(body).EnumerateAsync(_closed.Token).GetAsyncEnumerator(_closed.Token);
    }

    public static async Task<EventStreamReader> OpenAsync(HttpClient agent, string path = "/calls/events")
    {
        var response = await agent.GetAsync(path, HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        return new EventStreamReader(response, await response.Content.ReadAsStreamAsync());
    }

    public async Task<ServerSentEvent> NextAsync(TimeSpan wait)
    {
        var next = _events.MoveNextAsync().AsTask();
        if (await Task.WhenAny(next, Task.Delay(wait)) != next) throw new TimeoutException($"No event within {wait.TotalSeconds} s.");
        if (!await next) throw new InvalidOperationException("The event stream ended.");
        var data = ApiJson.Deserialize<ApiCallEvent>(_events.Current.Data, ApiJson.EventOptions);
        // Each event goes to every open console: the webhook parameters, which the console does not show, stay out.
        Assert.All(data.Calls, call => Assert.Null((object?)call.Parameters));
        return new ServerSentEvent(_events.Current.EventType, data);
    }

    /// <summary>Skips events (pings, other calls) until one matches, within <paramref name="wait"/> in all.</summary>
    public async Task<ServerSentEvent> NextMatchingAsync(Func<ServerSentEvent, bool> match, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) throw new TimeoutException($"No matching event within {wait.TotalSeconds} s.");
            var e = await NextAsync(left);
            if (match(e)) return e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _closed.CancelAsync();
        _response.Dispose();
        try { await _events.DisposeAsync(); }
        catch (OperationCanceledException) { }
        catch (NotSupportedException) { } // a read was still pending (the test gave up on it); the response is gone anyway
        _closed.Dispose();
    }
}
