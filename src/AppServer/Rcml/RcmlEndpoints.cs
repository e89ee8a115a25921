using AppServer.Agents;
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

    private static Results<RcmlResult, ProblemHttpResult> CallToAgent(string agent, PlatformRequest request, AgentDirectory agents,
        RcmlResponses rcml) =>
        agents.TryFind(agent, out var found)
            ? rcml.CallToAgent(found)
            // 404 makes the platform fall back to its FallbackUrl.
            : Problems.NotFound($"No agent named '{Shorten(agent)}' in the Agents section.");

    private static Results<RcmlResult, ValidationProblem> Conference(PlatformRequest request, RcmlResponses rcml)
    {
        var room = request.Get("room");
        return ConferenceRoom.IsValid(room)
            ? rcml.Conference(room!)
            : Problems.Field("room",
                room is null ? "room is required. " + ConferenceRoom.Rule : $"room '{Shorten(room)}' is not valid. " + ConferenceRoom.Rule);
    }

    private static Results<RcmlResult, ValidationProblem> Dial(PlatformRequest request, RcmlResponses rcml) =>
        AgentAddress.TryParse(request.Get("to"), out var address, out var error)
            ? rcml.Dial(address)
            : Problems.Field("to", $"to {error}.");

    private static RcmlResult Fallback(PlatformRequest request, RcmlResponses rcml) => rcml.Fallback();

    private static string Shorten(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
