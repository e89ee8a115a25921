using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using AppServer.Calls;
using AppServer.CallViews;

namespace AppServer.AgentConsole;

/// <summary>The data of every console event: the calls it is about, as <c>GET /calls</c> shows them.</summary>
public sealed record CallEvent(IReadOnlyList<CallView> Calls);

/// <summary>
/// <c>GET /calls/events</c>: first a <c>snapshot</c> event (the latest calls), then a <c>calls</c> event with
/// each changed call's current view, and a <c>ping</c> when nothing happened for a while so idle proxies keep
/// the connection open and the page can tell a dead stream from a quiet one.
/// </summary>
public static class CallEventStream
{
    public const string SnapshotEvent = "snapshot";
    public const string CallsEvent = "calls";
    public const string PingEvent = "ping";
    public const int SnapshotSize = 100;
    public static readonly TimeSpan PingEvery = TimeSpan.FromSeconds(15);

    public static ServerSentEventsResult<CallEvent> Open(
        HttpContext http, CallChangeFeed feed, IServiceScopeFactory scopes, IHostApplicationLifetime lifetime)
    {
        // Nginx and similar proxies buffer responses unless told not to; a buffered event stream is no stream.
        http.Response.Headers["X-Accel-Buffering"] = "no";
        // End with the app too: an open stream would otherwise hold shutdown for the whole grace period.
        var ended = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted, lifetime.ApplicationStopping);
        http.Response.RegisterForDispose(ended);
        return TypedResults.ServerSentEvents(Events(feed, scopes, ended.Token));
    }

    private static async IAsyncEnumerable<SseItem<CallEvent>> Events(
        CallChangeFeed feed, IServiceScopeFactory scopes, [EnumeratorCancellation] CancellationToken ct)
    {
        // Subscribe before reading the snapshot, so a change made in between is sent rather than lost.
        using var subscription = feed.Subscribe();
        yield return new SseItem<CallEvent>(await LoadAsync(scopes, null, ct), SnapshotEvent);

        while (!ct.IsCancellationRequested)
        {
            if (!await WaitForChangeAsync(subscription, ct))
            {
                if (ct.IsCancellationRequested) yield break;
                yield return new SseItem<CallEvent>(new CallEvent([]), PingEvent);
                continue;
            }
            // A burst of webhooks for one call becomes one event.
            var changed = new HashSet<string>(StringComparer.Ordinal);
            while (subscription.Changes.TryRead(out var callSid))
                if (callSid != CallChangeFeed.ResnapshotMarker) changed.Add(callSid);
            // Changes made through other instances may have been missed (their feed reconnected): start over from a snapshot.
            if (subscription.TakeResnapshot())
            {
                yield return new SseItem<CallEvent>(await LoadAsync(scopes, null, ct), SnapshotEvent);
                continue;
            }
            if (changed.Count == 0) continue;
            var update = await LoadAsync(scopes, changed, ct);
            if (update.Calls.Count > 0) yield return new SseItem<CallEvent>(update, CallsEvent);
        }
    }

    /// <summary>True when a change is waiting; false after <see cref="PingEvery"/> of quiet or when the stream ends.</summary>
    private static async Task<bool> WaitForChangeAsync(CallChangeSubscription subscription, CancellationToken ct)
    {
        using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
        quiet.CancelAfter(PingEvery);
        try
        {
            return await subscription.Changes.WaitToReadAsync(quiet.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// The given calls (or the latest ones when null) with their transfers, in a scope of their own: the stream outlives any one read.
    /// </summary>
    private static async Task<CallEvent> LoadAsync(IServiceScopeFactory scopes, IReadOnlyCollection<string>? callSids, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var views = scope.ServiceProvider.GetRequiredService<CallViewQuery>();
        return new CallEvent(callSids is null ? await views.ListAsync(SnapshotSize, null, ct) : await views.ManyAsync(callSids, ct));
    }
}
