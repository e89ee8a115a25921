namespace AppServer.Rcml;

/// <summary>
/// The catalogue of documents: every file in rcml-templates/ the server uses, with the placeholders each may use.
/// Adding a document means adding an entry here, its file, and a method on <see cref="RcmlResponses"/>.
/// </summary>
public static class RcmlTemplates
{
    private static readonly Placeholder DialActionUrl = new("dialActionUrl",
        "absolute URL of /dial-action (with the webhook token when one is configured)",
        "http://appserver.test/dial-action?token=t0k&x=1");

    private static readonly Placeholder StatusCallbackUrl = new("statusCallbackUrl",
        "absolute URL of /status the dialled leg reports its progress to (initiated, ringing, answered, completed)",
        "http://appserver.test/status?agent=alice&token=t0k");

    private static readonly Placeholder RecordingActionUrl = new("recordingActionUrl",
        "absolute URL the platform posts the voicemail recording to (/dial-action)",
        "http://appserver.test/dial-action?token=t0k");

    private static readonly Placeholder AgentName = new("agentName", "the agent's name as written in the Agents section", "alice");

    // One sample of each kind, so a template is proven valid whichever noun <Target> turns into.
    private static readonly string[] AddressSamples = ["client:alice", "sip:carol@example.com", "+15551234567"];

    private static readonly Placeholder AgentAddress = new("agentAddress",
        "the agent's address (client:x, sip:… or a number); inside <Target> it picks the noun", AddressSamples);

    private static readonly Placeholder To = new("to",
        "the address to dial (client:x, sip:… or a number); inside <Target> it picks the noun", AddressSamples)
    { PerCall = true };

    private static readonly Placeholder CallerId = new("callerId",
        "the incoming call's From; an attribute left empty is dropped", "+15550001111", "")
    { PerCall = true };

    private static readonly Placeholder CalledNumber =
        new("calledNumber", "the incoming call's To (the DID)", "+15550001000", "") { PerCall = true };

    private static readonly Placeholder Room =
        new("room", "the conference room name (letters, digits, '-', '_', up to 64)", "support-42") { PerCall = true };

    private static readonly Placeholder MusicUrl = new("musicUrl",
        "the audio file a held leg hears (AppServer:Hold:MusicUrl, else AppServer's own /audio/hold-music.wav)",
        "http://appserver.test/audio/hold-music.wav");

    private static readonly Placeholder DialCallStatus =
        new("dialCallStatus", "the Dial outcome the platform reported", "no-answer", "busy", "failed");

    public static readonly RcmlTemplate Incoming = new("incoming.xml",
        "Incoming call to a DID routed to an agent: dial the agent, progress to /status, outcome to /dial-action",
        [DialActionUrl, StatusCallbackUrl, AgentName, AgentAddress, CallerId, CalledNumber], [AgentAddress.Name, StatusCallbackUrl.Name]);

    public static readonly RcmlTemplate IncomingNoAgent = new("incoming-no-agent.xml",
        "Incoming call to a DID no agent answers", [CalledNumber], []);

    public static readonly RcmlTemplate CallToAgent = new("call-to-agent.xml",
        "/CallTo{Agent}: dial one agent (cold transfer)", [DialActionUrl, StatusCallbackUrl, AgentName, AgentAddress],
        [AgentAddress.Name, StatusCallbackUrl.Name]);

    public static readonly RcmlTemplate Dial = new("dial.xml",
        "/Dial?address=: dial any client:, sip: or number address", [DialActionUrl, StatusCallbackUrl, To], [To.Name,
            StatusCallbackUrl.Name]);

    public static readonly RcmlTemplate Conference = new("conference.xml",
        "/Conference?room=R: join conference room R", [Room], [Room.Name]);

    public static readonly RcmlTemplate DialActionAnswered = new("dial-action-answered.xml",
        "/dial-action after an answered (or caller-ended) Dial", [DialCallStatus], []);

    public static readonly RcmlTemplate DialActionNoAnswer = new("dial-action-no-answer.xml",
        "/dial-action when the agent did not answer or was busy: voicemail", [DialCallStatus, RecordingActionUrl], []);

    public static readonly RcmlTemplate DialActionFailed = new("dial-action-failed.xml",
        "/dial-action when the Dial failed: apology", [DialCallStatus], []);

    public static readonly RcmlTemplate Hold = new("hold.xml",
        "/Hold: the held leg hears music until it is moved again", [MusicUrl], [MusicUrl.Name]);

    public static readonly RcmlTemplate Fallback = new("fallback.xml", "/fallback: apology and hang up", [], []);

    public static readonly RcmlTemplate Empty = new("empty.xml", "/status: nothing to do", [], []);

    public static IReadOnlyList<RcmlTemplate> All { get; } =
    [
        Incoming, IncomingNoAgent, CallToAgent, Dial, Conference,
        DialActionAnswered, DialActionNoAnswer, DialActionFailed, Hold, Fallback, Empty,
    ];

    public const string SchemaFileName = "rcml.xsd";
}
