using AppServer.Agents;
using AppServer.Configuration;

namespace AppServer.Rcml;

/// <summary>
/// The paths of the RCML routes (README, "Webhooks"; docs/rcml.md), for anything that points the platform at them (the transfer
/// service's Url=). Relative: turn them into absolute URLs with <see cref="PublicUrls.For"/> or use <see cref="RcmlUrls"/>.
/// </summary>
public static class RcmlPaths
{
    public const string Incoming = "/incoming";
    public const string Status = "/status";
    public const string DialAction = "/dial-action";
    public const string Fallback = "/fallback";
    public const string ConferenceRoute = "/Conference";
    public const string DialRoute = "/Dial";
    public const string CallToPrefix = "/CallTo";
    public const string Hold = "/Hold";
    public const string HoldMusic = "/audio/hold-music.wav";

    /// <summary><c>/CallTo</c> + the agent name with its first letter upper-case: "alice" → "/CallToAlice".</summary>
    public static string CallToAgent(string agentName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(agentName);
        var name = char.ToUpperInvariant(agentName[0]) + agentName[1..];
        return CallToPrefix + Uri.EscapeDataString(name);
    }

    /// <summary><c>/Conference?room=R</c>; the room must pass <see cref="ConferenceRoom.IsValid"/>.</summary>
    public static string Conference(string room)
    {
        if (!ConferenceRoom.IsValid(room)) throw new ArgumentException(ConferenceRoom.Rule, nameof(room));
        return ConferenceRoute + "?room=" + room; // the room's characters need no escaping
    }

    public const string DialAddressParameter = "address";

    /// <summary><c>/Dial?address=client:x</c> (or sip:…, or a number): send a live call to any address.</summary>
    public static string Dial(AgentAddress to) => DialRoute + "?" + DialAddressParameter + "=" + Uri.EscapeDataString(to.ToCallApiTo());
}

/// <summary>
/// The absolute URLs of the RCML routes and callbacks, from AppServer:PublicBaseUrl and with the webhook token. A
/// <c>transfer</c> (an action id) travels in the URLs of the document a transfer sends the call to, so the Dial's progress
/// and outcome come back naming the transfer they decide; <c>agent</c> names the agent a dialled leg rings.
/// </summary>
public sealed class RcmlUrls(PublicUrls urls)
{
    public const string TransferParameter = "transfer";
    public const string AgentParameter = "agent";

    public string CallToAgent(string agentName, string? transferId = null) =>
        urls.For(RcmlPaths.CallToAgent(agentName), Query((TransferParameter, transferId)));

    public string Conference(string room) => urls.For(RcmlPaths.Conference(room));

    public string Dial(AgentAddress to, string? transferId = null) => urls.For(RcmlPaths.Dial(to), Query((TransferParameter, transferId)));

    public string Fallback() => urls.For(RcmlPaths.Fallback);

    /// <summary>/Hold for the legs a hold (or a warm transfer's consult) moves: the action says who hears music.</summary>
    public string Hold(string transferId) => urls.For(RcmlPaths.Hold, Query((TransferParameter, transferId)));

    public string DialAction(string? transferId = null) => urls.For(RcmlPaths.DialAction, Query((TransferParameter, transferId)));

    /// <summary>/status for a leg's progress: the agent it rings and the transfer it serves, when there are.</summary>
    public string Status(string? agentName = null, string? transferId = null) =>
        urls.For(RcmlPaths.Status, Query((AgentParameter, agentName), (TransferParameter, transferId)));

    private static List<KeyValuePair<string, string?>>? Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => KeyValuePair.Create(p.Name, p.Value)).ToList();
        return present.Count == 0 ? null : present;
    }
}
