using AppServer.Actions;
using AppServer.Calls;
using AppServer.Calls.Store;

namespace AppServer.CallViews;

/// <summary>
/// Calls as agents see them: each stored call with its legs, its room mates and its actions, read in four queries whatever
/// the number of calls.
/// </summary>
public sealed class CallViewQuery(CallStore calls, CallActionStore actions)
{
    public async Task<CallView?> FindAsync(string callSid, CancellationToken ct) =>
        await calls.FindAsync(callSid, ct) is { } call ? (await ViewsAsync([call], ct))[0] : null;

    public async Task<IReadOnlyList<CallView>> ListAsync(int limit, string? status, CancellationToken ct) =>
        await ViewsAsync(await calls.ListAsync(limit, status, ct), ct);

    /// <summary>
    /// The stored calls among <paramref name="callSids"/> (unknown ones are left out), and the customers' calls whose view
    /// they change: the customer a leg serves, the customer of a room a leg is in.
    /// </summary>
    public async Task<IReadOnlyList<CallView>> ManyAsync(IReadOnlyCollection<string> callSids, CancellationToken ct)
    {
        var found = (await calls.FindManyAsync(callSids, ct)).ToList();
        var related = found.Select(c => c.CustomerCallSid).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var rooms = found.Select(c => c.Room).OfType<string>().Distinct().ToList();
        if (rooms.Count > 0)
            related.UnionWith((await calls.InAnyRoomAsync(rooms, ct)).Where(m => m.RoomRole == RoomRoles.Customer).Select(m => m.CallSid));
        related.ExceptWith(found.Select(c => c.CallSid));
        if (related.Count > 0) found.AddRange(await calls.FindManyAsync(related, ct));
        return await ViewsAsync(found, ct);
    }

    private async Task<List<CallView>> ViewsAsync(IReadOnlyList<Call> found, CancellationToken ct)
    {
        var sids = found.Select(c => c.CallSid).ToList();
        var byCall = await actions.ForCallsAsync(sids, ct);
        var legs = (await calls.LegsOfAsync(sids, ct)).ToLookup(l => l.CustomerCallSid!);
        var rooms = found.Select(c => c.Room).OfType<string>().Distinct().ToList();
        var mates = rooms.Count == 0 ? [] : await calls.InAnyRoomAsync(rooms, ct);
        return found.Select(c => CallView.Of(c, legs[c.CallSid].ToList(), mates, byCall[c.CallSid])).ToList();
    }
}
