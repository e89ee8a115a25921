using CallApi.Emulator.Calls;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallApi.Emulator.Conferences;

/// <summary>
/// Restcomm's Conferences and Participants resources (docs/platform.md §8), behind the same Basic auth as Calls. Read-only
/// but for Mute on a participant: Restcomm has no hold, kick or end-conference call (#1136, #1664, #1707), so those
/// methods answer 405; a participant POST reads Mute only (a missing Mute is false, as on a call).
/// </summary>
public static class ConferencesEndpoints
{
    private const string Conference = "/Conferences/{conferenceSid}";
    private const string Participant = Conference + "/Participants/{callSid}";

    public static void MapConferencesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(CallsEndpoints.BasePath).AddEndpointFilter<BasicAuthFilter>();

        group.MapGet("/Conferences", List);
        group.MapGet("/Conferences.json", List);
        group.MapGet(Conference, Get);
        group.MapGet(Conference + "/Participants", Participants);
        group.MapGet(Conference + "/Participants.json", Participants);
        group.MapGet(Participant, GetParticipant);
        group.MapPost(Participant, MuteAsync);

        string[] writes = ["POST", "PUT", "DELETE", "PATCH"];
        foreach (var path in new[] { "/Conferences", "/Conferences.json", Conference, Conference + "/Participants",
            Conference + "/Participants.json" })
        {
            group.MapMethods(path, writes, (HttpResponse response) => NotAllowed(response, "GET"));
        }
        group.MapMethods(Participant, ["PUT", "DELETE", "PATCH"], (HttpResponse response) => NotAllowed(response, "GET, POST"));
    }

    /// <summary>GET …/Conferences: every conference so far (filters Status and FriendlyName, as Restcomm's).</summary>
    internal static Ok<ConferenceList> List(HttpRequest http, CallEngine engine)
    {
        string? Filter(string name) => http.Query[name].FirstOrDefault() is { Length: > 0 } v ? v : null;
        var (status, name) = (Filter("Status"), Filter("FriendlyName"));
        var conferences = engine.ListConferences()
            .Where(c => (status is null || c.Status == status) && (name is null || c.FriendlyName == name))
            .ToList();
        return TypedResults.Ok(new ConferenceList(0, 1, conferences.Count, conferences.Count, 0, Math.Max(0, conferences.Count - 1),
            http.Path, conferences));
    }

    internal static Results<Ok<ConferenceResource>, ContentHttpResult> Get(string conferenceSid, CallEngine engine) =>
        engine.FindConference(CallsEndpoints.WithoutJsonSuffix(conferenceSid)) is { } conference
            ? TypedResults.Ok(conference)
            : CallsEndpoints.PlainText(404, "The requested conference was not found.");

    /// <summary>GET …/Participants: the calls in the room now; 404 for an unknown conference.</summary>
    internal static Results<Ok<ParticipantList>, ContentHttpResult> Participants(string conferenceSid, HttpRequest http, CallEngine engine)
    {
        if (engine.Participants(conferenceSid) is not { } calls)
        {
            return CallsEndpoints.PlainText(404, "The requested conference was not found.");
        }
        return TypedResults.Ok(new ParticipantList(0, 1, calls.Count, calls.Count, 0, Math.Max(0, calls.Count - 1), http.Path, calls));
    }

    internal static Results<Ok<ParticipantResource>, ContentHttpResult> GetParticipant(string conferenceSid, string callSid,
        CallEngine engine) =>
        engine.FindParticipant(conferenceSid, CallsEndpoints.WithoutJsonSuffix(callSid)) is { } participant
            ? TypedResults.Ok(participant)
            : CallsEndpoints.PlainText(404, "The requested participant was not found.");

    /// <summary>
    /// POST …/Participants/{CallSid} Mute=true|false: answers the participant as it was before; 400 (empty body) for a
    /// malformed CallSid and 406 for a call that is not in that room, like a modification of an unknown call.
    /// </summary>
    internal static async Task<Results<Ok<ParticipantResource>, ContentHttpResult>> MuteAsync(
        string conferenceSid, string callSid, HttpRequest http, CallEngine engine, CancellationToken ct)
    {
        var sid = CallsEndpoints.WithoutJsonSuffix(callSid);
        if (!CallSid.IsWellFormed(sid))
        {
            return CallsEndpoints.PlainText(400, "");
        }
        var p = await RequestParameters.ReadAsync(http, ct);
        return engine.MuteParticipant(conferenceSid, sid, p.Flag("Mute")) is { } before
            ? TypedResults.Ok(before)
            : CallsEndpoints.PlainText(406, "The requested participant was not found.");
    }

    private static ContentHttpResult NotAllowed(HttpResponse response, string allow)
    {
        response.Headers.Allow = allow;
        return CallsEndpoints.PlainText(405,
            "Method not allowed: the platform has no call to create, change or end a conference or to remove a participant.");
    }
}
