using CallApi.Emulator.Conferences;

namespace CallApi.Emulator.Calls;

/// <summary>
/// The Conferences REST resources (docs/platform.md §8): every conference so far, the members of a running one, and
/// Mute on a member. There is no hold, kick or end-conference operation on the platform.
/// </summary>
public sealed partial class CallEngine
{
    public IReadOnlyList<ConferenceResource> ListConferences()
    {
        lock (Gate)
        {
            return registry.ConferencesBySid.Values
                .OrderBy(c => c.CreatedAt)
                .Select(c => ConferenceResource.Of(c, options.AccountSid))
                .ToList();
        }
    }

    public ConferenceResource? FindConference(string conferenceSid)
    {
        lock (Gate)
        {
            return registry.ConferencesBySid.TryGetValue(conferenceSid, out var c) ? ConferenceResource.Of(c, options.AccountSid) : null;
        }
    }

    /// <summary>The calls in the room now (none once it completed); null for an unknown conference.</summary>
    public IReadOnlyList<ParticipantResource>? Participants(string conferenceSid)
    {
        lock (Gate)
        {
            return registry.ConferencesBySid.TryGetValue(conferenceSid, out var c)
                ? c.Members.Select(m => ParticipantResource.Of(c, m)).ToList()
                : null;
        }
    }

    /// <summary>A call in that room now, or null (unknown conference, unknown call, or a call not in it).</summary>
    public ParticipantResource? FindParticipant(string conferenceSid, string callSid)
    {
        lock (Gate)
        {
            return MemberLocked(conferenceSid, callSid) is { } found ? ParticipantResource.Of(found.Conference, found.Member) : null;
        }
    }

    /// <summary>
    /// POST …/Participants/{CallSid}: mutes or unmutes the participant's leg (the only change Restcomm offers). Answers
    /// the participant as it was before, or null when the call is not in that room.
    /// </summary>
    public ParticipantResource? MuteParticipant(string conferenceSid, string callSid, bool mute)
    {
        lock (Gate)
        {
            if (MemberLocked(conferenceSid, callSid) is not { } found)
            {
                return null;
            }
            var (conference, member) = found;
            var before = ParticipantResource.Of(conference, member);
            if (member.Call.Muted != mute)
            {
                member.Call.Muted = mute;
                member.Call.DateUpdated = time.GetUtcNow();
                NoteLocked(member.Call, mute ? "muted" : "unmuted");
            }
            return before;
        }
    }

    private (Conference Conference, ConferenceMember Member)? MemberLocked(string conferenceSid, string callSid) =>
        registry.ConferencesBySid.TryGetValue(conferenceSid, out var conference)
        && conference.Members.FirstOrDefault(m => m.Call.Sid == callSid) is { } member
            ? (conference, member)
            : null;
}
