using System.Threading.Channels;

namespace AppServer.Calls;

/// <summary>
/// Collects which calls changed, for the one reader that tells the consoles (<c>AgentConsole.CallEventBroadcaster</c>).
/// Changes are coalesced, never dropped: a burst of webhooks for one call is one entry, and however far the reader falls
/// behind, every changed CallSid is still there when it takes the next batch. With several instances (PostgreSQL),
/// <see cref="ICallChangeBroadcast"/> carries each change to the other instances, whose listeners hand it over with
/// <see cref="PublishLocal"/>.
/// </summary>
public sealed class CallChangeFeed(ICallChangeBroadcast broadcast)
{
    /// <summary>Sent between instances in place of a CallSid: every console must read everything again.</summary>
    public const string ResnapshotMarker = "*";

    private readonly Lock _gate = new();
    private HashSet<string> _changed = new(StringComparer.Ordinal);
    private bool _everything;
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>A change committed by this process: this process's consoles, and every other instance's.</summary>
    public void Publish(string callSid)
    {
        PublishLocal(callSid);
        broadcast.Send(callSid);
    }

    /// <summary>A change this process's consoles must see (made here, or reported by another instance).</summary>
    public void PublishLocal(string callSid)
    {
        lock (_gate) _changed.Add(callSid);
        _wake.Writer.TryWrite(true);
    }

    /// <summary>
    /// Changes may have been missed (the link to the other instances was lost and is back): the consoles read a full
    /// snapshot again instead of trusting the changes they were told about.
    /// </summary>
    public void RequestResnapshot()
    {
        lock (_gate) _everything = true;
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Waits for a change, then takes every one made since the last take.</summary>
    public async ValueTask<CallChanges> TakeAsync(CancellationToken ct)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_everything || _changed.Count > 0)
                {
                    var taken = new CallChanges(_changed, _everything);
                    _changed = new HashSet<string>(StringComparer.Ordinal);
                    _everything = false;
                    return taken;
                }
            }
            await _wake.Reader.ReadAsync(ct);
        }
    }
}

/// <summary>The calls changed since the last take; <see cref="Everything"/> when they may not be all.</summary>
public sealed record CallChanges(IReadOnlySet<string> CallSids, bool Everything);

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
