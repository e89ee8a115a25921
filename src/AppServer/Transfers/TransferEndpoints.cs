using AppServer.Agents;
using AppServer.Calls;
using AppServer.Security;

namespace AppServer.Transfers;

public sealed record TransferRequest(string? CallSid, string? To, string? Mode, string? Room, bool? MoveConnectedCallLeg);

public sealed record ParticipantRequest(string? To);

public sealed record MuteRequest(bool? Muted);

/// <summary>The agent API for live calls: transfer, invite, hang up, mute, and the transfer record.</summary>
public static class TransferEndpoints
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const int MaxBodyBytes = 16 * 1024;

    public static IEndpointRouteBuilder MapTransferEndpoints(this IEndpointRouteBuilder app)
    {
        // Agent bodies are a few hundred bytes; a bigger one is a mistake or abuse (413 problem).
        var api = app.MapGroup("").RequireAgentApiKey().WithTags("Transfers")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBodyBytes));
        api.MapPost("/transfer", Transfer).WithName("TransferCall");
        api.MapPost("/conferences/{room}/participants", Invite).WithName("InviteParticipant");
        api.MapPost("/calls/{callSid}/hangup", HangUp).WithName("HangUpCall");
        api.MapPost("/calls/{callSid}/mute", Mute).WithName("MuteCall");
        api.MapGet("/transfers/{id}", Get).WithName("GetTransfer");
        return app;
    }

    private static async Task<Results<Ok<TransferView>, ValidationProblem, ProblemHttpResult>> Transfer(
        TransferRequest? body, HttpRequest http, TransferService service, AgentDirectory agents, CancellationToken ct)
    {
        if (body is null) return Problems.Field("body", "A JSON body {\"callSid\",\"to\",\"mode\"} is required.");
        if (CallSidRules.Problem(body.CallSid) is { } sidProblem) return Problems.Field("callSid", sidProblem);
        if (IdempotencyKey(http, out var key) is { } keyProblem) return Problems.Field(IdempotencyKeyHeader, keyProblem);

        var mode = body.Mode?.Trim().ToLowerInvariant();
        if (mode is not (TransferModes.Cold or TransferModes.Conference))
            return Problems.Field("mode", "mode must be \"cold\" or \"conference\".");

        TransferTarget? target = null;
        if (mode == TransferModes.Cold || body.To is not null)
            if (!TransferRules.TryResolveTarget(agents, body.To, out target, out var toProblem)) return Problems.Field("to", toProblem);

        if (body.Room is not null && mode == TransferModes.Cold) return Problems.Field("room", "room is only used with mode \"conference\".");
        if (body.Room is not null && TransferRules.RoomProblem(body.Room) is { } roomProblem) return Problems.Field("room", roomProblem);
        var move = body.MoveConnectedCallLeg ?? false;
        if (move && mode == TransferModes.Cold)
            return Problems.Field("moveConnectedCallLeg", "moveConnectedCallLeg is only used with mode \"conference\".");

        var outcome = await service.TransferAsync(new TransferCommand(body.CallSid!, mode, target, body.Room, move), key, ct);
        return outcome.ToResult();
    }

    private static async Task<Results<Ok<TransferView>, ValidationProblem, ProblemHttpResult>> Invite(
        string room, ParticipantRequest? body, HttpRequest http, TransferService service, AgentDirectory agents, CancellationToken ct)
    {
        if (TransferRules.RoomProblem(room) is { } roomProblem) return Problems.Field("room", roomProblem);
        if (IdempotencyKey(http, out var key) is { } keyProblem) return Problems.Field(IdempotencyKeyHeader, keyProblem);
        if (!TransferRules.TryResolveTarget(agents, body?.To, out var target, out var toProblem)) return Problems.Field("to", toProblem);
        return (await service.InviteAsync(room, target, key, ct)).ToResult();
    }

    private static async Task<Results<Ok<TransferView>, ValidationProblem, ProblemHttpResult>> HangUp(
        string callSid, TransferService service, CancellationToken ct)
    {
        if (CallSidRules.Problem(callSid) is { } sidProblem) return Problems.Field("callSid", sidProblem);
        return (await service.HangUpAsync(callSid, ct)).ToResult();
    }

    private static async Task<Results<Ok<TransferView>, ValidationProblem, ProblemHttpResult>> Mute(
        string callSid, MuteRequest? body, TransferService service, CancellationToken ct)
    {
        if (CallSidRules.Problem(callSid) is { } sidProblem) return Problems.Field("callSid", sidProblem);
        if (body?.Muted is not { } muted) return Problems.Field("muted", "muted (true or false) is required.");
        return (await service.MuteAsync(callSid, muted, ct)).ToResult();
    }

    private static async Task<Results<Ok<TransferView>, ProblemHttpResult>> Get(string id, TransferStore store, CancellationToken ct)
    {
        var transfer = id.Length <= 40 ? await store.FindAsync(id, ct) : null;
        return transfer is null ? Problems.NotFound($"No transfer with id '{id}'.") : TypedResults.Ok(TransferView.Of(transfer));
    }

    /// <summary>Reads the optional Idempotency-Key header; answers a problem text when it is unusable.</summary>
    private static string? IdempotencyKey(HttpRequest http, out string? key)
    {
        key = http.Headers[IdempotencyKeyHeader].ToString();
        if (key.Length == 0) { key = null; return null; }
        return TransferRules.IdempotencyKeyProblem(key);
    }
}
