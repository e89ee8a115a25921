using System.Collections.Immutable;
using System.Text.Json;
using System.Threading.Channels;
using AppServer.Calls;
using AppServer.CallViews;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace AppServer.AgentConsole;

/// <summary>
/// Fan-out of call changes to every open console stream: each batch of changes is read from the database and
/// serialised once, as a whole Server-Sent Events frame, and the same bytes are handed to every subscriber. Reading
/// and serialising per subscriber made 300 open consoles cost the webhooks 85× their capacity. Started with the host;
/// it reads nothing while no console is open.
/// </summary>
public sealed class CallEventBroadcaster(
    CallChangeFeed feed, IServiceScopeFactory scopes, IOptions<JsonOptions> json, IOptions<ConsoleStreamOptions> options,
    TimeProvider time, ILogger<CallEventBroadcaster> logger) : BackgroundService
{
    private readonly Lock _gate = new();
    private ImmutableArray<CallEventSubscriber> _subscribers = [];

    /// <summary>
    /// Registers a subscriber at once, so a stream can subscribe, then read its snapshot, and miss no change made in
    /// between. Dispose to leave.
    /// </summary>
    public CallEventSubscriber Subscribe()
    {
        CallEventSubscriber subscriber = null!;
        subscriber = new CallEventSubscriber(options.Value.StreamBufferEvents, () =>
        {
            lock (_gate) _subscribers = _subscribers.Remove(subscriber);
        });
        lock (_gate) _subscribers = _subscribers.Add(subscriber);
        return subscriber;
    }

    /// <summary>Open streams on this instance.</summary>
    public int Subscribers => _subscribers.Length;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            CallChanges changes;
            try
            {
                changes = await feed.TakeAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            var subscribers = _subscribers;
            if (subscribers.IsEmpty) continue; // nobody to tell; each new stream starts from its own snapshot
            try
            {
                var item = changes.Everything
                    ? await SnapshotAsync(stoppingToken)
                    : await ReadAsync(CallEventStream.CallsEvent, changes.CallSids, stoppingToken);
                if (item is null) continue;
                foreach (var subscriber in subscribers) subscriber.Offer(item);
                // Changes made while this waits are taken together next time.
                var interval = options.Value.StreamIntervalMilliseconds;
                if (interval > 0) await Task.Delay(TimeSpan.FromMilliseconds(interval), time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // These changes cannot be sent; rather than let the consoles miss them, each starts over from a snapshot.
                logger.LogError(e, "Reading {Count} changed call(s) for the consoles failed; they will re-read a snapshot",
                    changes.CallSids.Count);
                foreach (var subscriber in subscribers) subscriber.MarkBehind();
            }
        }
    }

    /// <summary>The latest calls, serialised: a new stream's first event, and a lagging one's fresh start.</summary>
    public async Task<CallEventFrame> SnapshotAsync(CancellationToken ct) =>
        (await ReadAsync(CallEventStream.SnapshotEvent, null, ct))!;

    /// <summary>The given calls (or the latest ones when null) as one event; null when none of them is stored.</summary>
    private async Task<CallEventFrame?> ReadAsync(string eventType, IReadOnlySet<string>? callSids, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var views = scope.ServiceProvider.GetRequiredService<CallViewQuery>();
        var calls = callSids is null
            ? await views.ListAsync(CallEventStream.SnapshotSize, null, ct)
            : await views.ManyAsync(callSids, ct);
        if (callSids is not null && calls.Count == 0) return null;
        return Frame(eventType, new CallEvent(calls));
    }

    /// <summary>
    /// <c>event: TYPE\ndata: JSON\n\n</c>, ready to be written to every stream as it is: formatting it per stream cost
    /// each stream a copy (and a buffer as large as the event) of every event.
    /// </summary>
    public CallEventFrame Frame(string eventType, CallEvent callEvent) =>
        CallEventFrame.Of(eventType, JsonSerializer.SerializeToUtf8Bytes(callEvent, _eventJson));

    private readonly JsonSerializerOptions _eventJson = CallEventJson.Of(json.Value.SerializerOptions);
}

/// <summary>
/// One open stream's queue of events, bounded: a console that stops reading (a stalled network, a suspended laptop)
/// must not hold events without limit. When its queue is full it is marked behind, and its stream sends a fresh
/// snapshot instead of the events it could not take, so it never silently misses changes.
/// </summary>
public sealed class CallEventSubscriber : IDisposable
{
    private readonly Channel<CallEventFrame?> _events;
    private readonly Action _leave;
    private int _behind;

    internal CallEventSubscriber(int capacity, Action leave)
    {
        _events = Channel.CreateBounded<CallEventFrame?>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of dropping silently
        });
        _leave = leave;
    }

    public ChannelReader<CallEventFrame?> Events => _events.Reader;

    internal void Offer(CallEventFrame item)
    {
        if (Volatile.Read(ref _behind) == 1) return; // a snapshot is coming anyway
        if (!_events.Writer.TryWrite(item)) MarkBehind();
    }

    internal void MarkBehind()
    {
        Volatile.Write(ref _behind, 1);
        // Wakes a reader waiting on an empty queue (after a failed read); a full queue wakes it by itself.
        _events.Writer.TryWrite(null);
    }

    /// <summary>True once after it fell behind; the queue is emptied, since the snapshot to send replaces what it held.</summary>
    public bool TakeBehind()
    {
        if (Interlocked.Exchange(ref _behind, 0) == 0) return false;
        while (_events.Reader.TryRead(out _))
        {
        }
        return true;
    }

    public void Dispose() => _leave();
}

/// <summary>One Server-Sent Events frame, serialised once for every stream.</summary>
public sealed class CallEventFrame
{
    private CallEventFrame(byte[] bytes) => Bytes = bytes;

    public byte[] Bytes { get; }

    /// <remarks>Compact JSON holds no line break (System.Text.Json escapes them in strings), so the data is one line.</remarks>
    public static CallEventFrame Of(string eventType, ReadOnlySpan<byte> json)
    {
        var head = System.Text.Encoding.UTF8.GetBytes($"event: {eventType}\ndata: ");
        var bytes = new byte[head.Length + json.Length + 2];
        head.CopyTo(bytes, 0);
        json.CopyTo(bytes.AsSpan(head.Length));
        bytes[^2] = (byte)'\n';
        bytes[^1] = (byte)'\n';
        return new CallEventFrame(bytes);
    }
}
