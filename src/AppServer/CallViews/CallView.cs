using AppServer.Actions;
using AppServer.Calls;

namespace AppServer.CallViews;

/// <summary>A stored call as the agent API shows it, with the actions taken on it.</summary>
public sealed record CallView(
    string CallSid, string? AccountSid, string? From, string? To, string? Direction, string? CallStatus,
    string? CallerName, string? ForwardedFrom, string? ParentCallSid, string? Agent, bool Muted,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? EndedAt, int? Duration,
    IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<ActionView> Transfers)
{
    public static CallView Of(Call c, IEnumerable<CallAction> actions) => new(
        c.CallSid, c.AccountSid, c.From, c.To, c.Direction, c.CallStatus, c.CallerName, c.ForwardedFrom,
        c.ParentCallSid, c.Agent, c.Muted, c.CreatedAt, c.UpdatedAt, c.EndedAt, c.Duration, c.Parameters,
        actions.Select(ActionView.Of).ToList());
}
