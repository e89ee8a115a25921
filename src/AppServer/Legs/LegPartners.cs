using AppServer.Calls;
using AppServer.Calls.Store;

namespace AppServer.Legs;

/// <summary>Who a leg is talking to, from the stored legs: its Dial partner, or the agents in its room.</summary>
public sealed class LegPartners(CallStore calls)
{
    /// <summary>
    /// The leg a Dial bridges <paramref name="leg"/> to, when it is in no room: the customer's answered agent leg, or the
    /// agent leg's customer. Null when it talks to nobody (still ringing, or alone).
    /// </summary>
    public async Task<Call?> BridgedPartnerAsync(Call leg, CancellationToken ct)
    {
        if (leg.Room is not null) return null;
        if (leg.CustomerCallSid is null)
            return (await calls.LegsOfAsync([leg.CallSid], ct)).Where(Bridged).MaxBy(l => l.AnsweredAt);
        if (!Bridged(leg)) return null;
        var customer = await calls.FindAsync(leg.CustomerCallSid, ct);
        return customer is { IsEnded: false, Room: null } ? customer : null;
    }

    /// <summary>An agent's live leg in <paramref name="room"/> other than <paramref name="except"/>, the first to have joined.</summary>
    public async Task<Call?> AgentInRoomAsync(string room, string except, CancellationToken ct) =>
        (await calls.InRoomsAsync(room, ct)).FirstOrDefault(m => m.CallSid != except && m.RoomRole == RoomRoles.Agent && !m.OnHold);

    // A leg the platform dialled for the customer, answered, live, and not moved into a room since.
    private static bool Bridged(Call c) => !c.IsEnded && c.Room is null && c.Direction == "outbound-dial" && c.AnsweredAt is not null;
}
