using AppServer.Transfers;

namespace AppServer.Calls;

/// <summary>A stored call as the agent API shows it.</summary>
public sealed record CallView(
    string CallSid, string? AccountSid, string? From, string? To, string? Direction, string? CallStatus,
    string? CallerName, string? ForwardedFrom, string? ParentCallSid, string? Agent, bool Muted,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? EndedAt, int? Duration,
    IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<TransferView> Transfers)
{
    public static CallView Of(Call c, IEnumerable<Transfer>? transfers = null) => new(
        c.CallSid, c.AccountSid, c.From, c.To, c.Direction, c.CallStatus, c.CallerName, c.ForwardedFrom,
        c.ParentCallSid, c.Agent, c.Muted, c.CreatedAt, c.UpdatedAt, c.EndedAt, c.Duration, c.Parameters,
        (transfers ?? []).Select(TransferView.Of).ToList());

    /// <summary>The calls as views, with their transfers read in one query.</summary>
    public static async Task<List<CallView>> OfAsync(IReadOnlyList<Call> calls, TransferStore transfers, CancellationToken ct)
    {
        var byCall = await transfers.ForCallsAsync(calls.Select(c => c.CallSid).ToList(), ct);
        return calls.Select(c => Of(c, byCall[c.CallSid])).ToList();
    }
}
