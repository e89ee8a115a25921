using CallApi.Emulator.Activity;
using CallApi.Emulator.Calls;
using CallApi.Emulator.Scenario;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CallApi.Emulator.Control;

/// <summary>
/// /emulator/*: what the people and the tests do — place incoming calls, answer, reject and hang up, set the
/// scenario, look at the state and wait for quiet. No auth: the emulator listens on loopback only.
/// </summary>
public static class ControlEndpoints
{
    public static void MapControl(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/emulator");
        group.MapPost("/incoming", IncomingAsync);
        group.MapPost("/calls/{callSid}/answer", (string callSid, CallEngine engine) => ToResult(engine.AnswerParty(callSid)));
        group.MapPost("/calls/{callSid}/reject", RejectAsync);
        group.MapPost("/calls/{callSid}/hangup", (string callSid, CallEngine engine) => ToResult(engine.HangupParty(callSid)));
        group.MapGet("/calls/{callSid}/hears", Hears);
        group.MapPost("/calls/{callSid}/forget", (string callSid, CallEngine engine) => ToResult(engine.Forget(callSid)));
        group.MapGet("/state", (CallEngine engine, bool? all) => TypedResults.Ok(engine.Snapshot(all ?? false)));
        group.MapGet("/idle", IdleAsync);
        group.MapGet("/scenario", (ScenarioRules rules) => TypedResults.Ok(rules.Snapshot()));
        group.MapPost("/scenario", SetScenarioAsync);
        group.MapDelete("/scenario", RemoveScenario);
        app.MapGet("/", (CallEngine engine) => TypedResults.Content(StatePage.Render(engine.Snapshot(includeEnded: true)),
            "text/html; charset=utf-8"));
    }

    /// <summary>POST /emulator/incoming From=alice To=+15550001000: a caller dials a DID.</summary>
    private static async Task<Results<Ok<CallResource>, ContentHttpResult>> IncomingAsync(HttpRequest http, CallEngine engine,
        CancellationToken ct)
    {
        var p = await RequestParameters.ReadAsync(http, ct);
        if (p["From"] is not { } from || p["To"] is not { } to)
        {
            return TypedResults.Text("From and To are required.", "text/plain", statusCode: 400);
        }
        return TypedResults.Ok(engine.StartIncoming(from, to));
    }

    /// <summary>GET /emulator/calls/{sid}/hears: what the leg hears (JSON null once it ended); 404 for an unknown call.</summary>
    private static Results<Ok<HearsView>, ContentHttpResult> Hears(string callSid, CallEngine engine)
    {
        if (!engine.TryGetHears(callSid, out var hears))
        {
            return TypedResults.Text("No such call.", "text/plain", statusCode: 404);
        }
        // Ok(null) would answer an empty body; an ended leg answers the JSON literal instead.
        return hears is null ? TypedResults.Text("null", "application/json; charset=utf-8") : TypedResults.Ok(hears);
    }

    /// <summary>POST /emulator/calls/{sid}/reject Outcome=busy|no-answer|failed (default busy).</summary>
    private static async Task<Results<Ok<CallResource>, ContentHttpResult>> RejectAsync(string callSid, HttpRequest http,
        CallEngine engine, CancellationToken ct)
    {
        var p = await RequestParameters.ReadAsync(http, ct);
        return ToResult(engine.RejectParty(callSid, PartyOutcome.Parse(p["Outcome"] ?? PartyOutcome.Busy) ?? ""));
    }

    /// <summary>GET /emulator/idle?timeoutMs=5000: 200 once no automatic work is running, 503 if still busy at the timeout.</summary>
    private static async Task<Results<Ok<IdleAnswer>, JsonHttpResult<IdleAnswer>>> IdleAsync(ActivityTracker tracker, int? timeoutMs,
        CancellationToken ct)
    {
        var timeout = TimeSpan.FromMilliseconds(Math.Clamp(timeoutMs ?? 5000, 0, 60_000));
        return await tracker.WaitForIdleAsync(timeout, ct)
            ? TypedResults.Ok(new IdleAnswer(true, 0))
            : TypedResults.Json(new IdleAnswer(false, tracker.Busy), statusCode: 503);
    }

    /// <summary>POST /emulator/scenario Address=client:bob Outcome=busy: how that party answers from now on.</summary>
    private static async Task<Results<Ok<IReadOnlyDictionary<string, string>>, ContentHttpResult>> SetScenarioAsync(HttpRequest http,
        ScenarioRules rules, CancellationToken ct)
    {
        var p = await RequestParameters.ReadAsync(http, ct);
        if (p["Address"] is not { } address || p["Outcome"] is not { } outcome || !rules.Set(address, outcome))
        {
            return TypedResults.Text(
                "Address and Outcome (" + string.Join(", ", PartyOutcome.All) + ") are required.", "text/plain", statusCode: 400);
        }
        return TypedResults.Ok(rules.Snapshot());
    }

    /// <summary>DELETE /emulator/scenario?address=client:bob: the party follows the default outcome again.</summary>
    private static Results<NoContent, NotFound> RemoveScenario(string address, ScenarioRules rules) =>
        rules.Remove(address) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static Results<Ok<CallResource>, ContentHttpResult> ToResult(ApiAnswer answer) =>
        answer.Call is { } call
            ? TypedResults.Ok(call)
            : TypedResults.Text(answer.Message ?? "", "text/plain", statusCode: answer.StatusCode);

    public sealed record IdleAnswer(bool Idle, int BusyWork);
}
