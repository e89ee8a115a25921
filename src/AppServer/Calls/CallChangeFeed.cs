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

    public async IAsyncEnumerable<string> SubscribeAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest });
        lock (_gate) _subscribers.Add(channel);
        try
        {
            await foreach (var callSid in channel.Reader.ReadAllAsync(cancellationToken))
                yield return callSid;
        }
        finally
        {
            lock (_gate) _subscribers.Remove(channel);
        }
    }
}
