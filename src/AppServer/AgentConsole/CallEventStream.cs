using System.Runtime.CompilerServices;
using AppServer.CallViews;
using Microsoft.AspNetCore.Http.Features;

namespace AppServer.AgentConsole;

/// <summary>The data of every console event: the calls it is about, as <c>GET /calls</c> shows them.</summary>
public sealed record CallEvent(IReadOnlyList<CallView> Calls);

/// <summary>
/// <c>GET /calls/events</c>: first a <c>snapshot</c> event (the latest calls), then a <c>calls</c> event with
/// each changed call's current view, and a <c>ping</c> when nothing happened for a while so idle proxies keep
/// the connection open and the page can tell a dead stream from a quiet one. A console too slow to take its events
/// gets a new <c>snapshot</c> in their place (<see cref="CallEventSubscriber"/>).
/// </summary>
public static class CallEventStream
{
    public const string SnapshotEvent = "snapshot";
    public const string CallsEvent = "calls";
    public const string PingEvent = "ping";
    public const int SnapshotSize = 100;
    public static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(15);

    /// <remarks>
    /// Typed as <see cref="IResult"/> so OpenAPI shows the events' JSON (<see cref="CallEvent"/>, declared on the route)
    /// rather than the bytes they are already serialised to.
    /// </remarks>
    public static IResult Open(
        HttpContext http, CallEventBroadcaster broadcaster, IHostApplicationLifetime lifetime, ILoggerFactory loggers)
    {
        // Nginx and similar proxies buffer responses unless told not to; a buffered event stream is no stream.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        // End with the app too: an open stream would otherwise hold shutdown for the whole grace period.
        var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        http.Response.RegisterForDispose(ended);
        var logger = loggers.CreateLogger(typeof(CallEventStream));
        return new FrameStreamResult(Events(broadcaster, logger, ended.Token));
    }

    private static async IAsyncEnumerable<CallEventFrame> Events(
        CallEventBroadcaster broadcaster, ILogger logger, [EnumeratorCancellation] CancellationToken ct)
    {
        // Subscribe before reading the snapshot, so a change made in between is sent rather than lost.
        using var subscriber = broadcaster.Subscribe();
        yield return await broadcaster.SnapshotAsync(ct);
        var ping = broadcaster.Frame(PingEvent, new CallEvent([]));

        while (!ct.IsCancellationRequested)
        {
            // Checked before every event: events it still holds were queued before it fell behind, and the snapshot
            // replaces them all.
            if (subscriber.TakeBehind())
            {
                logger.LogInformation("A console stream fell behind; sending it a fresh snapshot in place of the events it missed");
                yield return await broadcaster.SnapshotAsync(ct);
                continue;
            }
            if (subscriber.Events.TryRead(out var item))
            {
                if (item is not null) yield return item; // null: only a wake-up
                continue;
            }
            if (!await WaitForEventAsync(subscriber, ct))
            {
                if (ct.IsCancellationRequested) yield break;
                yield return ping;
            }
        }
    }

    /// <summary>True when an event is waiting; false after <see cref="PingEvery"/> of quiet or when the stream ends.</summary>
    private static async Task<bool> WaitForEventAsync(CallEventSubscriber subscriber, CancellationToken ct)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
        quiet.CancelAfter(PingEvery);
        try
        {
            return await subscriber.Events.WaitToReadAsync(quiet.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}

/// <summary>
/// Writes frames serialised once for every stream straight to the response, each flushed as it comes; what
/// <c>TypedResults.ServerSentEvents</c> does, without formatting every event again for every stream.
/// </summary>
internal sealed class FrameStreamResult(IAsyncEnumerable<CallEventFrame> frames) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        http.Response.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache,no-store";
        http.Features.GetRequiredFeature<IHttpResponseBodyFeature>().DisableBuffering();
        var ct = http.RequestAborted;
        try
        {
            await foreach (var frame in frames.WithCancellation(ct))
            {
                await http.Response.BodyWriter.WriteAsync(frame.Bytes, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // the console went away, or the app is stopping: the stream simply ends
        }
    }
}
