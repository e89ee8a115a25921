using AppServer.Rcml;

namespace AppServer.Webhooks;

/// <summary>One parameter the platform sends (form field on POST, query parameter on GET), for the OpenAPI document.</summary>
public sealed record PlatformField(string Name, string Description, bool Required = false);

/// <summary>
/// Route metadata naming the parameters a <see cref="PlatformRequest"/> route reads. The handler binds the whole request
/// with BindAsync, so OpenAPI cannot see the fields by itself: AppServer.OpenApi's transformer turns this into the form
/// body (POST) and the query parameters (GET).
/// </summary>
public sealed record PlatformFieldsMetadata(IReadOnlyList<PlatformField> Fields);

/// <summary>The fields of each webhook and RCML route (docs/platform.md §2), named once here.</summary>
public static class PlatformFields
{
    private static readonly PlatformField Token = new(PlatformRequest.TokenParameter,
        "The webhook token, when AppServer:Webhooks:Token is set (or send it as the HTTP Basic password).");

    private static readonly PlatformField Transfer = new(RcmlUrls.TransferParameter,
        "The transfer (action) id AppServer put in the URL it gave the platform; ties the request to that action.");

    private static readonly PlatformField[] CallParameters =
    [
        new("CallSid", "The platform's id of the call (leg), e.g. ID8deb…-CAf2d3….", Required: true),
        new("AccountSid", "The platform account the call belongs to."),
        new("From", "The caller: a number, client:name or SIP address."),
        new("To", "The called number or address (picks the agent from Numbers on /incoming)."),
        new("CallStatus", "queued, ringing, in-progress, completed, busy, failed, no-answer or canceled."),
        new("ApiVersion", "The platform's API version, e.g. 2012-04-24."),
        new("Direction", "inbound, outbound-api or outbound-dial."),
        new("CallerName", "The caller's name, when the network gave one."),
        new("ForwardedFrom", "The number that forwarded the call, when any."),
        new("ParentCallSid", "For a dialled leg: the call that dialled it."),
    ];

    public static IReadOnlyList<PlatformField> Incoming { get; } = [.. CallParameters, Token];

    public static IReadOnlyList<PlatformField> Status { get; } =
    [
        .. CallParameters,
        new("CallDuration", "Seconds the call lasted (whole number), on completed."),
        new("SequenceNumber", "Order of the callbacks of one leg (whole number)."),
        new(RcmlUrls.AgentParameter, "The agent a dialled or created leg rings (from the statusCallback URL AppServer gave)."),
        Transfer, Token,
    ];

    public static IReadOnlyList<PlatformField> DialAction { get; } =
    [
        .. CallParameters,
        new("DialCallStatus", "The Dial's outcome: completed, answered, busy, no-answer, failed or canceled."),
        new("DialCallSid", "The dialled leg's CallSid."),
        new("DialCallDuration", "Seconds the dialled leg talked (whole number)."),
        new("DialRingDuration", "Seconds the dialled leg rang (whole number)."),
        Transfer, Token,
    ];

    /// <summary>RCML documents: the platform sends its call parameters (CallSid optional here) and the URL's own query.</summary>
    public static IReadOnlyList<PlatformField> Document(params PlatformField[] own) =>
        [.. own, new("CallSid", "The fetching leg's CallSid (joins or leaves rooms by it)."), Transfer, Token];

    public static PlatformField Room { get; } = new("room", "The conference room: letters, digits, '-' and '_'.", Required: true);

    public static PlatformField Address { get; } = new(RcmlPaths.DialAddressParameter,
        "What to dial: client:name, sip:… or an E.164 number.", Required: true);

    /// <summary>Declares which parameters the route reads (see <see cref="PlatformFieldsMetadata"/>).</summary>
    public static RouteHandlerBuilder WithPlatformFields(this RouteHandlerBuilder builder, IReadOnlyList<PlatformField> fields) =>
        builder.WithMetadata(new PlatformFieldsMetadata(fields));
}
