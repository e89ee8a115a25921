using System.Threading.Channels;

namespace AppServer.Calls;

/// <summary>
/// Tells live subscribers (the agent console's event stream) that a call changed.
/// Each subscriber gets its own bounded channel; a slow one loses old events rather than slowing webhooks.
/// With several instances (PostgreSQL), <see cref="ICallChangeBroadcast"/> carries each change to the other instances, whose
/// listeners hand it to their own subscribers with <see cref="PublishLocal"/>.
/// </summary>
public sealed class CallChangeFeed(ICallChangeBroadcast broadcast)
{
    /// <summary>
    /// Written to a subscriber's channel to wake it for <see cref="CallChangeSubscription.TakeResnapshot"/>; never a CallSid.
    /// </summary>
    public const string ResnapshotMarker = "*";

    private readonly Lock _gate = new();
    private readonly List<CallChangeSubscription> _subscribers = [];

    /// <summary>A change committed by this process: this process's subscribers, and every other instance's.</summary>
    public void Publish(string callSid)
    {
        PublishLocal(callSid);
        broadcast.Send(callSid);
    }

    /// <summary>A change this process's subscribers must see (made here, or reported by another instance).</summary>
    public void PublishLocal(string callSid)
    {
        lock (_gate)
            foreach (var subscriber in _subscribers)
                subscriber.Writer.TryWrite(callSid);
    }

    /// <summary>
    /// Changes may have been missed (the link to the other instances was lost and is back): every subscriber reads a full
    /// snapshot again instead of trusting the changes it was told about.
    /// </summary>
    public void RequestResnapshot()
    {
        lock (_gate)
            foreach (var subscriber in _subscribers)
                subscriber.MarkResnapshot();
    }

    /// <summary>
    /// Registers a subscriber at once, so a stream can subscribe, then read a snapshot, and miss no change made
    /// in between. Dispose to leave.
    /// </summary>
    public CallChangeSubscription Subscribe()
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        CallChangeSubscription subscription = null!;
        subscription = new CallChangeSubscription(channel, () => { lock (_gate) _subscribers.Remove(subscription); });
        lock (_gate) _subscribers.Add(subscription);
        return subscription;
    }
}

/// <summary>One subscriber's queue of changed CallSids.</summary>
public sealed class CallChangeSubscription : IDisposable
{
    private readonly Channel<string> _channel;
    private readonly Action _leave;
    private int _resnapshot;

    internal CallChangeSubscription(Channel<string> channel, Action leave)
    {
        _channel = channel;
        _leave = leave;
    }

    /// <summary>Changed CallSids; may also hold <see cref="CallChangeFeed.ResnapshotMarker"/>, which is not one.</summary>
    public ChannelReader<string> Changes => _channel.Reader;

    internal ChannelWriter<string> Writer => _channel.Writer;

    /// <summary>True once after <see cref="CallChangeFeed.RequestResnapshot"/>: the subscriber should read everything again.</summary>
    public bool TakeResnapshot() => Interlocked.Exchange(ref _resnapshot, 0) == 1;

    internal void MarkResnapshot()
    {
        Volatile.Write(ref _resnapshot, 1);
        _channel.Writer.TryWrite(CallChangeFeed.ResnapshotMarker);
    }

    public void Dispose() => _leave();
}

/// <summary>Carries this process's call changes to the other instances sharing the database (none with SQLite).</summary>
public interface ICallChangeBroadcast
{
    /// <summary>Called after the change committed; must not block (the webhook's answer waits for it).</summary>
    void Send(string callSid);
}

/// <summary>One process, nobody else to tell.</summary>
public sealed class NoCallChangeBroadcast : ICallChangeBroadcast
{
    public void Send(string callSid)
    {
    }
}
