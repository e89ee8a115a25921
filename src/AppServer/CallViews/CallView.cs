using AppServer.Actions;
using AppServer.Calls;

namespace AppServer.CallViews;

/// <summary>
/// A stored call as the agent API shows it: its row, what it is doing now (<see cref="State"/>, derived from its legs and
/// room), the legs dialled or created for it, and the actions taken on it.
/// </summary>
public sealed record CallView(
    string CallSid, string? AccountSid, string? From, string? To, string? Direction, string? CallStatus,
    string? CallerName, string? ForwardedFrom, string? ParentCallSid, string? CustomerCallSid, string? Agent, bool Muted,
    string State, DateTimeOffset? TalkingSince, string? Room, string? RoomRole, DateTimeOffset? JoinedRoomAt, bool OnHold,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, int? Duration,
    IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<LegView> Legs, IReadOnlyList<ActionView> Transfers)
{
    public static CallView Of(Call c, IReadOnlyList<Call> legs, IReadOnlyList<Call> roomMates, IEnumerable<CallAction> actions)
    {
        var (state, since) = CallStates.Of(c, legs, roomMates);
        return new CallView(
            c.CallSid, c.AccountSid, c.From, c.To, c.Direction, c.CallStatus, c.CallerName, c.ForwardedFrom,
            c.ParentCallSid, c.CustomerCallSid, c.Agent, c.Muted, state, since, c.Room, c.RoomRole, c.JoinedRoomAt, c.OnHold,
            c.CreatedAt, c.UpdatedAt, c.AnsweredAt, c.EndedAt, c.Duration, c.Parameters,
            legs.Select(LegView.Of).ToList(), actions.Select(ActionView.Of).ToList());
    }
}

/// <summary>One leg serving a customer's call: the agent's leg the platform dialled, an agent called back, a guest invited.</summary>
public sealed record LegView(
    string CallSid, string? From, string? To, string? Agent, string? Direction, string? Status, string State, string? Room, bool Muted,
    bool OnHold, DateTimeOffset CreatedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt)
{
    public static LegView Of(Call leg) => new(leg.CallSid, leg.From, leg.To, leg.Agent, leg.Direction, leg.CallStatus,
        CallStates.OfLeg(leg), leg.Room, leg.Muted, leg.OnHold, leg.CreatedAt, leg.AnsweredAt, leg.EndedAt);
}

/// <summary>What a call is doing, as an agent means it: the platform's status says too little (a talking call is "ringing").</summary>
public static class CallStates
{
    public const string Ringing = "ringing";
    public const string Talking = "talking";
    /// <summary>Alone in a room: nobody else is there yet, or any more.</summary>
    public const string Waiting = "waiting";
    public const string Ended = "ended";
    /// <summary>Hearing hold music; nobody hears it.</summary>
    public const string OnHold = "on-hold";

    /// <summary>The state of a customer's call and since when (the talk is timed, not the row's age).</summary>
    public static (string State, DateTimeOffset? Since) Of(Call call, IReadOnlyList<Call> legs, IReadOnlyList<Call> roomMates)
    {
        if (call.IsEnded) return (Ended, call.EndedAt);
        if (call.OnHold) return (OnHold, call.HeldAt);
        if (call.Room is { } room)
        {
            var others = roomMates.Any(m => m.Room == room && m.CallSid != call.CallSid && !m.IsEnded);
            return (others ? Talking : Waiting, call.JoinedRoomAt);
        }
        var live = legs.Where(l => !l.IsEnded && l.Room is null).ToList();
        if (live.Where(l => l.AnsweredAt is not null).MaxBy(l => l.AnsweredAt) is { } talking) return (Talking, talking.AnsweredAt);
        if (live.FirstOrDefault() is { } ringing) return (Ringing, ringing.CreatedAt);
        return CallStatuses.IsNotYetAnswered(call.CallStatus) || call.AnsweredAt is null
            ? (Ringing, call.CreatedAt)
            : (Talking, call.AnsweredAt);
    }

    public static string OfLeg(Call leg) =>
        leg.IsEnded ? Ended
        : leg.OnHold ? OnHold
        : leg.AnsweredAt is not null || CallStatuses.IsInProgress(leg.CallStatus) ? Talking
        : Ringing;
}
