using CallApi.Emulator.Control;

namespace CallApi.Emulator.Calls;

public sealed partial class CallEngine
{
    /// <summary>Snapshot of calls (live ones, or all with includeEnded), conferences and scenario rules.</summary>
    public EmulatorState Snapshot(bool includeEnded)
    {
        lock (Gate)
        {
            var legs = registry.Calls.Values
                .Where(c => includeEnded || !c.IsEnded)
                .OrderBy(c => c.DateCreated)
                .Select(c => new LegView(
                    CallResource.Of(c),
                    BridgedPartnerLocked(c)?.Sid,
                    c.OwnDial?.Targets.Where(t => t.Status == CallStatus.Ringing).Select(t => t.Sid).ToList() ?? [],
                    c.ConferenceName,
                    c.Activity.ToList(),
                    HearsLocked(c)))
                .ToList();
            var conferences = registry.Conferences.Values
                .OrderBy(c => c.CreatedAt)
                .Select(c => new ConferenceView(c.Sid, c.Name, c.Status, c.Members
                    .Select(m => new ConferenceMemberView(
                        m.Call.Sid, m.Call.From, m.Call.To, m.Call.Muted, !c.Started,
                        m.Noun.StartConferenceOnEnter, m.Noun.EndConferenceOnExit, m.WaitUrl))
                    .ToList()))
                .ToList();
            return new EmulatorState(legs, conferences, scenario.Snapshot(), tracker.Busy);
        }
    }

    private static Call? BridgedPartnerLocked(Call call) =>
        call.OwnDial?.Bridged is { IsEnded: false } callee ? callee
        : call.ParentDial is { } dial && dial.Bridged == call && !dial.Caller.IsEnded ? dial.Caller
        : null;
}
