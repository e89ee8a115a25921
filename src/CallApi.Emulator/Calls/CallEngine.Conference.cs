using CallApi.Emulator.Activity;
using CallApi.Emulator.Conferences;
using CallApi.Emulator.Rcml;

namespace CallApi.Emulator.Calls;

public sealed partial class CallEngine
{
    /// <summary>Seats the call in a room; null when the room is full. The returned wakeup fires when the conference ends under it.</summary>
    internal Wakeup<bool>? JoinConference(Call call, ConferenceNoun noun, CancellationToken ct)
    {
        lock (Gate)
        {
            ct.ThrowIfCancellationRequested();
            AnswerIfRingingLocked(call);
            if (call.ConferenceName is not null)
            {
                LeaveConferenceLocked(call);
            }
            if (!registry.Conferences.TryGetValue(noun.Room, out var conference))
            {
                conference = new Conference(noun.Room, time.GetUtcNow());
                registry.Conferences[noun.Room] = conference;
            }
            if (conference.Members.Count >= noun.MaxParticipants)
            {
                NoteLocked(call, $"conference: {noun.Room} is full");
                return null;
            }
            var member = new ConferenceMember(call, noun, new Wakeup<bool>(tracker));
            conference.Members.Add(member);
            call.ConferenceName = conference.Name;
            NoteLocked(call, "conference: " + conference.Name);
            logger.LogInformation("Call {CallSid} joined conference {Room}", call.Sid, conference.Name);
            return member.Left;
        }
    }

    /// <summary>The conference timeLimit passed: the call leaves the room and goes on with its RCML.</summary>
    internal void LeaveConference(Call call, CancellationToken ct)
    {
        lock (Gate)
        {
            if (!ct.IsCancellationRequested && call.ConferenceName is not null)
            {
                LeaveConferenceLocked(call);
            }
        }
    }

    /// <summary>
    /// Removes the call from its room. A member with endConferenceOnExit ends the conference: the others leave
    /// too and continue with the verbs after their Dial (their runners are woken).
    /// </summary>
    private void LeaveConferenceLocked(Call call)
    {
        var name = call.ConferenceName!;
        call.ConferenceName = null;
        if (!registry.Conferences.TryGetValue(name, out var conference))
        {
            return;
        }
        var member = conference.Members.FirstOrDefault(m => m.Call == call);
        if (member is null)
        {
            return;
        }
        conference.Members.Remove(member);
        logger.LogInformation("Call {CallSid} left conference {Room}", call.Sid, name);
        if (member.Noun.EndConferenceOnExit)
        {
            foreach (var other in conference.Members.ToList())
            {
                conference.Members.Remove(other);
                other.Call.ConferenceName = null;
                other.Left.Fire(true);
            }
        }
        if (conference.Members.Count == 0)
        {
            registry.Conferences.Remove(name);
        }
    }
}
