using CallApi.Emulator.Activity;
using CallApi.Emulator.Conferences;
using CallApi.Emulator.Rcml;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace CallApi.Emulator.Calls;

/// <summary>
/// Rooms (docs/platform.md §8): a leg joins by executing Dial/Conference and leaves when moved or ended. While no
/// startConferenceOnEnter=true member is present the room has not started: its members are muted and hear the wait
/// music. muted=true mutes the leg itself (a later modification without Mute unmutes it, as on the platform).
/// </summary>
public sealed partial class CallEngine
{
    /// <summary>Restcomm's own default waitUrl, served (in the emulator: named) by the platform itself.</summary>
    public const string DefaultWaitMusicPath = "/restcomm/music/electronica/teru_-_110_Downtempo_Electronic_4.wav";

    /// <summary>
    /// Seats the call in a room; null when the room is full. The returned wakeup fires when the conference ends under it.
    /// </summary>
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
            var existing = registry.Conferences.GetValueOrDefault(noun.Room);
            if ((existing?.Members.Count ?? 0) >= noun.MaxParticipants)
            {
                NoteLocked(call, $"conference: {noun.Room} is full");
                return null;
            }
            var conference = existing ?? NewConferenceLocked(noun.Room);
            var wasStarted = conference.Started;
            var member = new ConferenceMember(call, noun, noun.WaitUrl ?? DefaultWaitUrl(), new Wakeup<bool>(tracker));
            conference.Members.Add(member);
            conference.UpdatedAt = time.GetUtcNow();
            call.ConferenceName = conference.Name;
            NoteLocked(call, "conference: " + conference.Name);
            if (noun.Muted && !call.Muted)
            {
                call.Muted = true;
                NoteLocked(call, "muted");
            }
            logger.LogInformation("Call {CallSid} joined conference {Room}", call.Sid, conference.Name);
            if (!conference.Started)
            {
                NoteLocked(call, WaitingNote(conference));
            }
            else if (!wasStarted)
            {
                NoteMembersLocked(conference, $"conference: {conference.Name} started");
            }
            if (noun.Beep && conference.Started)
            {
                NoteMembersLocked(conference, "conference: beep");
            }
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

    private Conference NewConferenceLocked(string room)
    {
        var conference = new Conference(room, time.GetUtcNow());
        registry.Conferences[room] = conference;
        registry.ConferencesBySid[conference.Sid] = conference;
        return conference;
    }

    /// <summary>
    /// Removes the call from its room (moved or ended). A member with endConferenceOnExit ends the conference: the
    /// others leave too and continue with the verbs after their Dial (their runners are woken) — unless it leaves
    /// <paramref name="quietly"/> (a forgotten leg, which nobody is told about).
    /// </summary>
    private void LeaveConferenceLocked(Call call, bool quietly = false)
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
        var wasStarted = conference.Started;
        conference.Members.Remove(member);
        conference.UpdatedAt = time.GetUtcNow();
        logger.LogInformation("Call {CallSid} left conference {Room}", call.Sid, name);
        if (member.Noun.EndConferenceOnExit && !quietly)
        {
            foreach (var other in conference.Members.ToList())
            {
                conference.Members.Remove(other);
                other.Call.ConferenceName = null;
                NoteLocked(other.Call, $"conference: {name} ended by {call.Sid}");
                other.Left.Fire(true);
            }
        }
        if (conference.Members.Count == 0)
        {
            conference.Completed = true;
            registry.Conferences.Remove(name);
            return;
        }
        if (wasStarted && !conference.Started)
        {
            NoteMembersLocked(conference, WaitingNote(conference));
        }
    }

    private static string WaitingNote(Conference conference) => $"conference: {conference.Name} waiting (wait music)";

    private void NoteMembersLocked(Conference conference, string activity)
    {
        foreach (var member in conference.Members)
        {
            NoteLocked(member.Call, activity);
        }
    }

    /// <summary>The platform's wait music on the emulator's own address (the address it is bound to, when it is).</summary>
    private string DefaultWaitUrl()
    {
        var bound = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return (bound ?? options.Urls).TrimEnd('/') + DefaultWaitMusicPath;
    }
}
