using CallApi.Emulator.Control;

namespace CallApi.Emulator.Calls;

/// <summary>What each live leg hears: its Dial partner, a room, music, ringback or silence (GET /emulator/state, …/hears).</summary>
public sealed partial class CallEngine
{
    /// <summary>False for an unknown call; <paramref name="hears"/> is null for an ended one.</summary>
    public bool TryGetHears(string sid, out HearsView? hears)
    {
        lock (Gate)
        {
            hears = registry.Calls.TryGetValue(sid, out var call) ? HearsLocked(call) : null;
            return call is not null;
        }
    }

    /// <summary>
    /// Call sids are the legs whose audio reaches this one: a muted partner or member is not heard. A room that has
    /// not started is wait music; a started room with nobody else in it is silence (with the room named).
    /// </summary>
    private HearsView? HearsLocked(Call call)
    {
        if (call.IsEnded)
        {
            return null;
        }
        if (call.Looping is { } looping)
        {
            return new HearsView(HearsKind.Music, [], null, looping.MusicUrl);
        }
        if (BridgedPartnerLocked(call) is { } partner)
        {
            return new HearsView(HearsKind.Partner, partner.Muted ? [] : [partner.Sid], null, null);
        }
        if (call.ConferenceName is { } name && registry.Conferences.TryGetValue(name, out var room))
        {
            if (!room.Started)
            {
                return new HearsView(HearsKind.Music, [], room.Name, room.Members.Single(m => m.Call == call).WaitUrl);
            }
            var others = room.Members.Where(m => m.Call != call && !m.Call.IsEnded).ToList();
            return others.Count == 0
                ? new HearsView(HearsKind.Silence, [], room.Name, null)
                : new HearsView(HearsKind.Conference, others.Where(m => !m.Call.Muted).Select(m => m.Call.Sid).ToList(), room.Name, null);
        }
        if (call.OwnDial is { Bridged: null } dial && dial.Targets.Any(t => t.Status == CallStatus.Ringing))
        {
            return new HearsView(HearsKind.Ringback, [], null, null);
        }
        return new HearsView(HearsKind.Silence, [], null, null);
    }
}
