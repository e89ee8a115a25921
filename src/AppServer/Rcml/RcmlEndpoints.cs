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

        rcml.MapGetAndPost(RcmlPaths.CallToPrefix + "{agent}", CallToAgent).WithName("CallToAgent");
        rcml.MapGetAndPost(RcmlPaths.ConferenceRoute, Conference).WithName("Conference");
        rcml.MapGetAndPost(RcmlPaths.DialRoute, Dial).WithName("DialAddress");
        rcml.MapGetAndPost(RcmlPaths.Fallback, Fallback).WithName("Fallback");
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

    private static async Task<RcmlResult> Fallback(PlatformRequest request, RoomMembership rooms, RcmlResponses rcml, CancellationToken ct)
    {
        await rooms.LeaveAsync(request, ct);
        return rcml.Fallback();
    }

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
