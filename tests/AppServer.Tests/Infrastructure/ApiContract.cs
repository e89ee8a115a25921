using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace AppServer.Tests.Infrastructure;

// AppServer's public JSON contract as a client sees it, written down on the test side on purpose: these are not the
// server's own view types, so renaming, adding or dropping a property there breaks a test here. Every record refuses
// members it does not know (JsonUnmappedMemberHandling.Disallow) and ApiJson.Options requires every constructor
// parameter without a default and refuses null where the record says non-null.

/// <summary>A stored call: an item of <c>GET /calls</c>, <c>GET /calls/{callSid}</c> and of each console event.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ApiCall(
    string CallSid, string? AccountSid, string? From, string? To, string? Direction, string? CallStatus,
    string? CallerName, string? ForwardedFrom, string? ParentCallSid, string? CustomerCallSid, string? Agent, bool Muted,
    string State, DateTimeOffset? TalkingSince, string? Room, string? RoomRole, DateTimeOffset? JoinedRoomAt, bool OnHold,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt, int? Duration,
    IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<ApiLeg> Legs, IReadOnlyList<ApiTransfer> Transfers);

/// <summary>A leg serving a customer's call: an item of a call's <c>legs</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ApiLeg(
    string CallSid, string? From, string? To, string? Agent, string? Direction, string? Status, string State, string? Room, bool Muted,
    bool OnHold, DateTimeOffset CreatedAt, DateTimeOffset? AnsweredAt, DateTimeOffset? EndedAt);

/// <summary>A live room: an item of <c>GET /conferences</c>, and <c>GET /conferences/{room}</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ApiRoom(string Room, IReadOnlyList<ApiRoomMember> Members);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ApiRoomMember(
    string CallSid, string? From, string? To, string? Agent, string Role, bool Muted, bool OnHold, DateTimeOffset? JoinedAt);

/// <summary>
/// A transfer or another live-call action: <c>GET /transfers/{id}</c>, the 200 answer of <c>POST /transfer</c>,
/// <c>/calls/{sid}/hangup</c>, <c>/calls/{sid}/mute</c>, <c>/conferences/{room}/participants</c>, and each of a call's
/// <c>transfers</c>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ApiTransfer(
    string Id, string? CallSid, string Mode, string? To, string? Room, bool MoveConnectedCallLeg,
    string State, string? Outcome, string? OutcomeDetail, string? TargetCallSid, string? AgentCallSid, string? FailureReason,
    int? PlatformStatus,
    IReadOnlyList<string> CreatedCallSids,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, IReadOnlyList<ApiCallApiRequest> Requests, string? RequestedBy);

/// <summary>One CallAPI request an action made and what the platform answered (a transfer's <c>requests</c>).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ApiCallApiRequest(
    int Sequence, DateTimeOffset StartedAt, string Method, string Path, IReadOnlyDictionary<string, string> Form,
    int? ResponseStatus, string? ResponseBody, double DurationMs, string Outcome);

/// <summary>
/// An RFC 9457 <c>application/problem+json</c> answer: <c>errors</c> (field → messages) on validation problems,
/// <c>transferId</c> when an action was recorded, <c>traceId</c> as ASP.NET Core adds it to every problem.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ApiProblem(
    string? Type, string Title, int Status, string? Detail = null,
    IReadOnlyDictionary<string, string[]>? Errors = null, string? TransferId = null, string? TraceId = null);

/// <summary><c>GET /me</c>: who the key belongs to.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ApiAgentSession(string Name, bool Named);

/// <summary>An item of <c>GET /agents</c>, the console's transfer picker.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ApiAgent(string Name, string Address);

/// <summary>
/// The data of every <c>GET /calls/events</c> event (snapshot, calls, ping): <c>{"calls":[…]}</c>, each call without its
/// <c>parameters</c> (read with <see cref="ApiJson.EventOptions"/>).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ApiCallEvent(IReadOnlyList<ApiCall> Calls);

public static class ApiJson
{
    /// <summary>
    /// AppServer writes with System.Text.Json's web defaults (camelCase); read back strictly: exact names, numbers as
    /// numbers, no unknown member, every required one present and non-null where the record says so.
    /// </summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNameCaseInsensitive = false,
        NumberHandling = JsonNumberHandling.Strict,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    /// <summary>
    /// The same for console events, whose calls leave out <c>parameters</c>: a call read from one has none (null), and
    /// <see cref="EventStreamReader"/> checks that.
    /// </summary>
    public static readonly JsonSerializerOptions EventOptions = new(Options)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { WithoutCallParameters } },
    };

    private static void WithoutCallParameters(JsonTypeInfo type)
    {
        if (type.Type != typeof(ApiCall)) return;
        type.Properties.Single(p => p.Name == "parameters").IsRequired = false;
    }

    public static T Deserialize<T>(string json, JsonSerializerOptions? options = null) =>
        JsonSerializer.Deserialize<T>(json, options ?? Options) ?? throw new JsonException($"null where a {typeof(T).Name} was expected");

    /// <summary>A record as JSON again; with unknown members refused, it holds everything the server sent.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);
}
