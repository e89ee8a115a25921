using AppServer.Actions;
using AppServer.Calls;
using AppServer.Calls.Store;

namespace AppServer.CallViews;

/// <summary>Calls as agents see them: each stored call with its actions, read in two queries whatever the number of calls.</summary>
public sealed class CallViewQuery(CallStore calls, CallActionStore actions)
{
    public async Task<CallView?> FindAsync(string callSid, CancellationToken ct) =>
        await calls.FindAsync(callSid, ct) is { } call ? (await ViewsAsync([call], ct))[0] : null;

    public async Task<IReadOnlyList<CallView>> ListAsync(int limit, string? status, CancellationToken ct) =>
        await ViewsAsync(await calls.ListAsync(limit, status, ct), ct);

    /// <summary>The stored calls among <paramref name="callSids"/> (unknown ones are left out).</summary>
    public async Task<IReadOnlyList<CallView>> ManyAsync(IReadOnlyCollection<string> callSids, CancellationToken ct) =>
        await ViewsAsync(await calls.FindManyAsync(callSids, ct), ct);

    private async Task<List<CallView>> ViewsAsync(IReadOnlyList<Call> found, CancellationToken ct)
    {
        var byCall = await actions.ForCallsAsync(found.Select(c => c.CallSid).ToList(), ct);
        return found.Select(c => CallView.Of(c, byCall[c.CallSid])).ToList();
    }
}
