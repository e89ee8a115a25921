using AppServer.Actions;
using AppServer.Agents;
using AppServer.Conferences;
using AppServer.Webhooks;

namespace AppServer.Rcml;

/// <summary>
/// The RCML documents the platform fetches by URL (a transfer's Url=, a FallbackUrl). They are webhooks: the same
/// authentication applies, but not the call-callback validation, since the platform sends its own parameters.
/// Every handler takes the bound <see cref="PlatformRequest"/>, which those filters check, even one that reads nothing from it.
/// </summary>
public static class RcmlEndpoints
{
    public static IEndpointRouteBuilder MapRcmlEndpoints(this IEndpointRouteBuilder app)
    {
        var rcml = app.MapGroup("")
            .RequireWebhookAuthentication()
            .ReadRcmlParameters()
            .WithTags("RCML")
            .DisableAntiforgery();

        rcml.MapGetAndPost(RcmlPaths.CallToPrefix + "{agent}", CallToAgent).WithName("CallToAgent")
            .WithPlatformFields(PlatformFields.Document()).ProducesProblems(StatusCodes.Status404NotFound)
            .WithSummary("RCML: dial an agent")
            .WithDescription("e.g. /CallToAlice: Dial the agent's address from Agents (the name ignores case). "
                + "404 for an unknown agent, so the platform falls back to its FallbackUrl.");
        rcml.MapGetAndPost(RcmlPaths.ConferenceRoute, Conference).WithName("Conference")
            .WithPlatformFields(PlatformFields.Document(PlatformFields.Room))
            .WithSummary("RCML: join a conference room")
            .WithDescription("Dial into room R (?room=R); the fetching leg becomes a member of the room. 400 for a bad room.");
        rcml.MapGetAndPost(RcmlPaths.DialRoute, Dial).WithName("DialAddress")
            .WithPlatformFields(PlatformFields.Document(PlatformFields.Address))
            .WithSummary("RCML: dial an address")
            .WithDescription("Dial ?address= (client:name, sip:… or a number), the target of a transfer to a typed address. "
                + "400 for a malformed address.");
        rcml.MapGetAndPost(RcmlPaths.Hold, Hold).WithName("Hold").WithPlatformFields(PlatformFields.Document())
            .WithSummary("RCML: hold music, or wait for a held partner")
            .WithDescription("The held leg hears music in a loop; its partner waits in the room the hold named.");
        rcml.MapGetAndPost(RcmlPaths.Fallback, Fallback).WithName("Fallback").WithPlatformFields(PlatformFields.Document())
            .WithSummary("RCML: apologise and hang up")
            .WithDescription("For a FallbackUrl: a short apology and <Hangup/>.");
        // The default hold music: a file the platform plays, open like any media URL (it proves and reveals nothing).
        app.MapGet(RcmlPaths.HoldMusic, () => TypedResults.Bytes(HoldMusic.Wav, "audio/wav")).WithTags("RCML").WithName("HoldMusic")
            .WithSummary("The default hold music")
            .WithDescription("A short WAV tune, used when AppServer:Hold:MusicUrl is empty; open, like any media URL.");
        return app;
    }

    private static async Task<Results<RcmlResult, ProblemHttpResult>> CallToAgent(string agent, PlatformRequest request,
        AgentDirectory agents, RoomMembership rooms, RcmlResponses rcml, CancellationToken ct)
    {
        if (!agents.TryFind(agent, out var found))
            // 404 makes the platform fall back to its FallbackUrl.
            return Problems.NotFound($"No agent named '{Shorten(agent)}' in the Agents section.");
        await rooms.LeaveAsync(request, ct);
        return rcml.CallToAgent(found, request.TransferId);
    }

    private static async Task<Results<RcmlResult, ValidationProblem>> Conference(PlatformRequest request, RoomMembership rooms,
        RcmlResponses rcml, CancellationToken ct)
    {
        var room = request.Get("room");
        if (!ConferenceRoom.IsValid(room))
            return Problems.Field("room",
                room is null ? "room is required. " + ConferenceRoom.Rule : $"room '{Shorten(room)}' is not valid. " + ConferenceRoom.Rule);
        await rooms.JoinAsync(request, room!, ct);
        return rcml.Conference(room!);
    }

    private static async Task<Results<RcmlResult, ValidationProblem>> Dial(PlatformRequest request, RoomMembership rooms,
        RcmlResponses rcml, CancellationToken ct)
    {
        // Not "to": Restcomm posts the URL's query with its own parameters, and ASP.NET Core reads form and query names
        // ignoring case, so ?to= would collide with the platform's To.
        if (!AgentAddress.TryParse(request.Get(RcmlPaths.DialAddressParameter), out var address, out var error))
            return Problems.Field(RcmlPaths.DialAddressParameter, $"{RcmlPaths.DialAddressParameter} {error}.");
        await rooms.LeaveAsync(request, ct);
        return rcml.Dial(address, request.TransferId);
    }

    /// <summary>
    /// The legs a hold moved (docs/platform.md §8.3): with MoveConnectedCallLeg both legs of a bridge fetch this with
    /// their own CallSid. The held leg hears music; its partner waits in the room the hold named, to be joined again.
    /// </summary>
    private static async Task<RcmlResult> Hold(PlatformRequest request, CallActionStore actions, RoomMembership rooms, RcmlResponses rcml,
        ILoggerFactory logs, CancellationToken ct)
    {
        var hold = request.TransferId is { } id ? await actions.FindAsync(id, ct) : null;
        if (hold?.Room is { } room && request.Get("CallSid") is { } callSid && callSid != hold.CallSid)
        {
            await rooms.JoinAsync(request, room, ct);
            return rcml.Conference(room);
        }
        if (hold is null) logs.CreateLogger(typeof(RcmlEndpoints)).LogWarning("/Hold without a known hold: playing music to the caller");
        await rooms.HoldAsync(request, hold?.Room, ct);
        return rcml.HoldMusic();
    }

    private static async Task<RcmlResult> Fallback(PlatformRequest request, RoomMembership rooms, RcmlResponses rcml, CancellationToken ct)
    {
        await rooms.LeaveAsync(request, ct);
        return rcml.Fallback();
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
