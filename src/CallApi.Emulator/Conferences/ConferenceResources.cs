using CallApi.Emulator.Calls;

namespace CallApi.Emulator.Conferences;

/// <summary>A conference as Restcomm's ConferenceDetailRecordConverter writes it (snake_case JSON).</summary>
public sealed record ConferenceResource(
    string Sid,
    string DateCreated,
    string DateUpdated,
    string AccountSid,
    string Status,
    string ApiVersion,
    string FriendlyName,
    string Uri,
    ConferenceSubresources SubresourceUris)
{
    internal static string PathOf(string accountSid,
        string sid) => $"/restcomm/{CallApiVersion.Value}/Accounts/{accountSid}/Conferences/{sid}";

    /// <summary>Must be called under the registry gate: a conference is mutable.</summary>
    internal static ConferenceResource Of(Conference conference, string accountSid) => new(
        conference.Sid,
        CallResource.Rfc2822(conference.CreatedAt),
        CallResource.Rfc2822(conference.UpdatedAt),
        accountSid,
        conference.Status,
        CallApiVersion.Value,
        conference.Name,
        PathOf(accountSid, conference.Sid) + ".json",
        new ConferenceSubresources(PathOf(accountSid, conference.Sid) + "/Participants.json"));
}

public sealed record ConferenceSubresources(string Participants);

/// <summary>
/// A participant as Restcomm's ConferenceParticipantConverter writes it: the call's own record with its room's
/// flags. Muted and Hold are what the platform records: Hold (and Muted) while the participant waits for the room
/// to start. "end_conference_on_enter" is Restcomm's own spelling of endConferenceOnExit.
/// </summary>
public sealed record ParticipantResource(
    string Sid,
    string ConferenceSid,
    string DateCreated,
    string DateUpdated,
    string AccountSid,
    bool Muted,
    bool Hold,
    bool StartConferenceOnEnter,
    bool EndConferenceOnEnter,
    string Uri)
{
    /// <summary>Must be called under the registry gate.</summary>
    internal static ParticipantResource Of(Conference conference, ConferenceMember member)
    {
        var call = CallResource.Of(member.Call);
        var waiting = !conference.Started;
        return new ParticipantResource(
            call.Sid,
            conference.Sid,
            call.DateCreated,
            call.DateUpdated,
            call.AccountSid,
            member.Call.Muted || waiting,
            waiting,
            member.Noun.StartConferenceOnEnter,
            member.Noun.EndConferenceOnExit,
            call.Uri);
    }
}

/// <summary>Restcomm's list resources: paging fields and one page holding every item.</summary>
public sealed record ConferenceList(int Page, int NumPages, int PageSize, int Total, int Start, int End, string Uri,
    IReadOnlyList<ConferenceResource> Conferences);

/// <summary>Restcomm's participant list names its array "calls".</summary>
public sealed record ParticipantList(int Page, int NumPages, int PageSize, int Total, int Start, int End, string Uri,
    IReadOnlyList<ParticipantResource> Calls);
