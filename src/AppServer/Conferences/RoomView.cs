using AppServer.Calls;
using AppServer.Calls.Store;

namespace AppServer.Conferences;

/// <summary>A live room and who is in it, in the order they joined.</summary>
public sealed record RoomView(string Room, IReadOnlyList<RoomMemberView> Members);

public sealed record RoomMemberView(
    string CallSid, string? From, string? To, string? Agent, string Role, bool Muted, bool OnHold, DateTimeOffset? JoinedAt)
{
    public static RoomMemberView Of(Call leg)
    {
        var role = RoomRoles.Of(leg);
        // A customer's call names the agent it was dialled to; only an agent's own leg is that agent in the room.
        return new(leg.CallSid, leg.From, leg.To, role == RoomRoles.Agent ? leg.Agent : null, role, leg.Muted, leg.OnHold,
            leg.JoinedRoomAt);
    }
}

/// <summary>Rooms as agents see them, from the stored legs (the platform's Conferences resource knows no roles or holds).</summary>
public sealed class RoomQuery(CallStore calls)
{
    public async Task<IReadOnlyList<RoomView>> ListAsync(CancellationToken ct) =>
        (await calls.InRoomsAsync(null, ct)).GroupBy(c => c.Room!)
            .Select(g => new RoomView(g.Key, g.Select(RoomMemberView.Of).ToList()))
            .OrderBy(r => r.Members[0].JoinedAt).ToList();

    public async Task<RoomView?> FindAsync(string room, CancellationToken ct) =>
        await calls.InRoomsAsync(room, ct) is { Count: > 0 } members
            ? new RoomView(room, members.Select(RoomMemberView.Of).ToList())
            : null;
}
