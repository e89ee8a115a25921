using AppServer.Calls;
using AppServer.Calls.Store;
using AppServer.Webhooks;

namespace AppServer.Conferences;

/// <summary>
/// Who is in which room (docs/platform.md §8.6): a leg joins a room when it fetches the room's RCML with its CallSid, and
/// leaves it when it fetches any other document of ours (it was moved) or ends.
/// </summary>
public sealed class RoomMembership(CallStore calls, TimeProvider time)
{
    /// <summary>The leg fetching /Conference?room=R is in R now (stored if it was unknown: the fetch carries its parameters).</summary>
    public async Task JoinAsync(PlatformRequest request, string room, CancellationToken ct)
    {
        if (CallSidRules.Problem(request.Get("CallSid")) is not null) return;
        var now = time.GetUtcNow();
        await calls.RecordWebhookAsync(request.CallData, c =>
        {
            if (c.Room != room) c.JoinedRoomAt = now;
            c.Room = room;
            c.RoomRole = RoomRoles.Of(c);
            c.OnHold = false;
            c.HeldAt = null;
        }, ct);
    }

    /// <summary>The leg fetching /Hold for its own hold hears music; it stays a member of <paramref name="room"/> to return to.</summary>
    public async Task HoldAsync(PlatformRequest request, string? room, CancellationToken ct)
    {
        if (CallSidRules.Problem(request.Get("CallSid")) is not null) return;
        var now = time.GetUtcNow();
        await calls.RecordWebhookAsync(request.CallData, c =>
        {
            if (!c.OnHold) c.HeldAt = now;
            c.OnHold = true;
            if (room is null) return;
            if (c.Room != room) c.JoinedRoomAt = now;
            c.Room = room;
            c.RoomRole ??= RoomRoles.Of(c);
        }, ct);
    }

    /// <summary>The leg fetching another document of ours has left its room, if it was in one.</summary>
    public async Task LeaveAsync(PlatformRequest request, CancellationToken ct)
    {
        if (request.Get("CallSid") is not { } callSid || CallSidRules.Problem(callSid) is not null) return;
        if ((await calls.FindAsync(callSid, ct))?.Room is null) return;
        await calls.UpdateAsync(callSid, c =>
        {
            c.Room = null;
            c.RoomRole = null;
            c.JoinedRoomAt = null;
            c.OnHold = false;
            c.HeldAt = null;
        }, ct);
    }
}
