using System.Threading.Channels;

namespace AppServer.Calls;

/// <summary>
/// Tells live subscribers (the agent console's event stream) that a call changed.
/// Each subscriber gets its own bounded channel; a slow one loses old events rather than slowing webhooks.
/// </summary>
public sealed class CallChangeFeed
{
    private readonly Lock _gate = new();
    private readonly List<Channel<string>> _subscribers = [];

    public void Publish(string callSid)
    {
        lock (_gate)
            foreach (var subscriber in _subscribers)
                subscriber.Writer.TryWrite(callSid);
    }

    /// <summary>
    /// Registers a subscriber at once, so a stream can subscribe, then read a snapshot, and miss no change made
    /// in between. Dispose to leave.
    /// </summary>
    public CallChangeSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate) _subscribers.Add(channel);
        return new CallChangeSubscription(channel.Reader, () => { lock (_gate) _subscribers.Remove(channel); });
    }
}

/// <summary>One subscriber's queue of changed CallSids.</summary>
public sealed class CallChangeSubscription(ChannelReader<string> changes, Action leave) : IDisposable
{
    public ChannelReader<string> Changes { get; } = changes;

    public void Dispose() => leave();
}
