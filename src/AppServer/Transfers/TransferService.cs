using System.Security.Cryptography;
using System.Text;
using AppServer.Agents;
using AppServer.CallApi;
using AppServer.Calls;
using AppServer.Configuration;
using AppServer.Rcml;
using Microsoft.Extensions.Options;

namespace AppServer.Transfers;

public sealed record TransferCommand(string CallSid, string Mode, TransferTarget? Target, string? Room, bool MoveConnectedCallLeg);

/// <summary>
/// Moves live calls (SPEC section 5): cold transfer, conference (caller into a room, agent called back,
/// optional invite), invites, hang-up and mute. Each action is stored before its first CallAPI request and
/// finished as completed or failed with the platform's reason; failures map to 502/504/409/404 (SPEC section 6).
/// </summary>
public sealed class TransferService(
    TransferStore transfers, CallStore calls, LiveCallClient callApi, AgentDirectory agents, RcmlUrls rcmlUrls, PublicUrls urls,
    IOptionsMonitor<CallApiOptions> callApiOptions, TimeProvider time, ILogger<TransferService> logger)
{
    public async Task<TransferOutcome> TransferAsync(TransferCommand command, string? idempotencyKey, CancellationToken ct)
    {
        var conference = command.Mode == TransferModes.Conference;
        var room = conference ? command.Room ?? TransferRules.NewRoom() : null;
        var plan = new ConferencePlan();
        var start = new TransferStart(command.CallSid, command.Mode, command.Target?.Text, room, command.MoveConnectedCallLeg,
            idempotencyKey, Fingerprint(command.Mode, command.CallSid, command.Target?.Text, command.Room, command.MoveConnectedCallLeg),
            Precondition: conference ? ConferencePrecondition(command.MoveConnectedCallLeg, plan) : null);

        return await RunAsync(start, async (steps, call) =>
        {
            var fallback = rcmlUrls.Fallback();
            if (!conference)
            {
                var target = command.Target!;
                var url = target.Agent is { } agent ? rcmlUrls.CallToAgent(agent.Name) : rcmlUrls.Dial(target.Address);
                await steps.ModifyAsync(call!.CallSid, new LiveCallModification { Url = url, FallbackUrl = fallback, Mute = await MuteToKeepAsync(call.CallSid) });
                // The call now rings the new target: a later conference calls back that agent, not the old one.
                await calls.UpdateAsync(call.CallSid, c => c.Agent = target.Agent?.Name, CancellationToken.None);
                return;
            }

            var roomUrl = rcmlUrls.Conference(room!);
            await steps.ModifyAsync(call!.CallSid, new LiveCallModification
            {
                Url = roomUrl, FallbackUrl = fallback, Mute = await MuteToKeepAsync(call.CallSid),
                MoveConnectedCallLeg = command.MoveConnectedCallLeg ? true : null,
            });
            // The caller id and agent the precondition checked, not looked up again (configuration may have been reloaded since).
            var from = plan.From!;
            if (!command.MoveConnectedCallLeg)
            {
                // Moving the caller hung up the agent's leg of the Dial: call the agent back into the room.
                await steps.CreateAsync(Outgoing(from, plan.Connected!.Address, roomUrl), plan.Connected.Name);
            }
            if (command.Target is { } invitee)
                await steps.CreateAsync(Outgoing(from, invitee.Address, roomUrl), invitee.Agent?.Name);
        }, ct);
    }

    /// <summary>
    /// One more participant into a room. From is the caller id of the call that opened the room here (so every
    /// participant sees the customer's number, as with the agent call-back), else <c>CallApi:CallerId</c>.
    /// </summary>
    public async Task<TransferOutcome> InviteAsync(string room, TransferTarget target, string? idempotencyKey, CancellationToken ct)
    {
        var originSid = await transfers.RoomOriginAsync(room, ct);
        var origin = originSid is null ? null : await calls.FindAsync(originSid, ct);
        var from = CallerIdOf(origin);
        if (from is null)
            return TransferOutcome.Problem(StatusCodes.Status404NotFound, "Unknown room",
                $"Room '{room}' was not opened by a transfer here and CallApi:CallerId is not set, so there is no caller id to invite with.");

        var start = new TransferStart(originSid, TransferModes.Invite, target.Text, room, false, idempotencyKey,
            Fingerprint(TransferModes.Invite, room, target.Text, null, false), RequiresLiveCall: false);
        var roomUrl = rcmlUrls.Conference(room!);
        return await RunAsync(start, (steps, _) => steps.CreateAsync(Outgoing(from, target.Address, roomUrl), target.Agent?.Name), ct);
    }

    /// <summary>
    /// <c>canceled</c> stops only a call still queued/ringing at the platform; a leg ringing inside a Dial counts
    /// as in progress there and needs <c>completed</c> (SPEC section 4).
    /// </summary>
    public async Task<TransferOutcome> HangUpAsync(string callSid, CancellationToken ct)
    {
        var start = new TransferStart(callSid, TransferModes.HangUp, null, null, false, null, null);
        return await RunAsync(start, async (steps, call) =>
        {
            var status = await HangUpStatusAsync(steps, call!);
            await steps.ModifyAsync(callSid, new LiveCallModification { Status = status });
            // Only after the platform's 200, and only while no platform callback has ended the call otherwise:
            // a later /status with the real final status cannot be overwritten, but it is never pre-empted either.
            await MarkEndedAsync(callSid, status);
        }, ct);
    }

    /// <summary>
    /// <c>completed</c> for a call executing a Dial (or ringing inside one) and for answered calls; <c>canceled</c> only for a
    /// queued/ringing call that is not in a Dial. The stored status lags (Restcomm reports only the end of a call by default),
    /// so a stored queued/ringing is checked against the platform first; if that read fails the stored status decides.
    /// </summary>
    private async Task<string> HangUpStatusAsync(Steps steps, Call call)
    {
        if (InADial(call) || await transfers.WasMovedAsync(call.CallSid, CancellationToken.None)) return CallStatuses.Completed;
        if (!CallStatuses.IsNotYetAnswered(call.CallStatus)) return CallStatuses.Completed;
        var status = call.CallStatus;
        try
        {
            status = (await steps.ReadAsync(call.CallSid)).Status ?? status;
        }
        catch (CallApiException e)
        {
            logger.LogWarning("Could not read the live status of {CallSid} before hanging up ({Reason}); using the stored {Status}",
                call.CallSid, e.Message, call.CallStatus);
        }
        return CallStatuses.IsNotYetAnswered(status) ? CallStatuses.Canceled : CallStatuses.Completed;
    }

    public async Task<TransferOutcome> MuteAsync(string callSid, bool muted, CancellationToken ct)
    {
        var start = new TransferStart(callSid, TransferModes.Mute, null, null, false, null, null);
        return await RunAsync(start, async (steps, _) =>
        {
            await steps.ModifyAsync(callSid, new LiveCallModification { Mute = muted });
            await calls.UpdateAsync(callSid, c => c.Muted = muted, CancellationToken.None);
        }, ct);
    }

    /// <summary>
    /// Restcomm reads a missing Mute as false, so a modification would silently unmute a muted call: send Mute=true when the
    /// agent muted it. Read from the store right before each request, not once at the start (a mute is serialized with
    /// transfers of the same call by the pending check, and this also sees one that finished just before).
    /// </summary>
    private async Task<bool?> MuteToKeepAsync(string callSid) =>
        (await calls.FindAsync(callSid, CancellationToken.None))?.Muted == true ? true : null;

    private async Task<TransferOutcome> RunAsync(TransferStart start, Func<Steps, Call?, Task> work, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["CallSid"] = start.CallSid, ["TransferMode"] = start.Mode });
        var begun = await transfers.BeginAsync(start, ct);
        switch (begun.Outcome)
        {
            case BeginOutcome.Replay: return Replay(begun.Transfer!);
            case BeginOutcome.KeyReusedWithOtherRequest:
                return TransferOutcome.Problem(StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                    $"Idempotency-Key was first used for another request (transfer {begun.Transfer!.Id}); use a new key for a new request.");
            case BeginOutcome.CallNotFound:
                return TransferOutcome.Problem(StatusCodes.Status404NotFound, "Not found", $"No call with CallSid '{start.CallSid}' is stored.");
            case BeginOutcome.CallEnded:
                return TransferOutcome.Problem(StatusCodes.Status409Conflict, "Call not live",
                    $"Call {start.CallSid} has already ended ({begun.Call!.CallStatus}).");
            case BeginOutcome.Busy:
            case BeginOutcome.PreconditionFailed:
                return TransferOutcome.Problem(StatusCodes.Status409Conflict, "Conflict", begun.Detail!);
        }

        var transfer = begun.Transfer!;
        using var transferScope = logger.BeginScope(new Dictionary<string, object?> { ["TransferId"] = transfer.Id });
        var steps = new Steps(callApi, transfers, calls, transfer.Id, ct);
        try
        {
            await work(steps, begun.Call);
            logger.LogInformation("{Mode} {TransferId} of {CallSid} completed", start.Mode, transfer.Id, start.CallSid);
            return TransferOutcome.Ok(await transfers.FinishAsync(transfer.Id, TransferStates.Completed, StatusCodes.Status200OK, null, null, null,
                steps.CreatedCallSids, CancellationToken.None));
        }
        catch (CallApiException e)
        {
            var (status, title, detail) = Map(e);
            if (steps.ModifyingCallSid is { } modified && e.StatusCode is StatusCodes.Status410Gone or StatusCodes.Status406NotAcceptable)
                await MarkEndedAsync(modified, CallStatuses.Completed); // the platform no longer has this call live
            logger.LogWarning("{Mode} {TransferId} of {CallSid} failed: {Reason}", start.Mode, transfer.Id, start.CallSid, e.Message);
            var failed = await transfers.FinishAsync(transfer.Id, TransferStates.Failed, status, title, detail, e.PlatformMessage, steps.CreatedCallSids, CancellationToken.None);
            return TransferOutcome.Problem(status, title, detail, failed);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The agent went away mid-request: do not leave the transfer pending (it would block the call). The platform
            // may or may not have acted, so a replay of this key says so instead of pretending success or failure.
            await transfers.FinishAsync(transfer.Id, TransferStates.Failed, StatusCodes.Status409Conflict, "Request abandoned",
                $"The first request with this Idempotency-Key was abandoned before CallAPI answered; see GET /transfers/{transfer.Id} and retry with a new key.",
                "The agent's request was canceled before CallAPI answered.", steps.CreatedCallSids, CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            // A bug or a storage failure: never leave the transfer pending (it would block the call) nor answer a bare 500.
            // The platform may have acted on the requests already made; the transfer record lists them.
            logger.LogError(e, "{Mode} {TransferId} of {CallSid} failed unexpectedly", start.Mode, transfer.Id, start.CallSid);
            const string title = "Transfer failed unexpectedly";
            var detail = $"The {start.Mode} stopped on an internal error ({e.GetType().Name}) after {steps.RequestCount} CallAPI request(s); "
                         + $"see GET /transfers/{transfer.Id} for what the platform was asked and answered.";
            var failed = await transfers.FinishAsync(transfer.Id, TransferStates.Failed, StatusCodes.Status500InternalServerError, title, detail,
                $"Internal error: {e.GetType().Name}: {e.Message}", steps.CreatedCallSids, CancellationToken.None);
            return TransferOutcome.Problem(StatusCodes.Status500InternalServerError, title, detail, failed);
        }
        finally
        {
            await steps.FlushAsync();
        }
    }

    private static (int Status, string Title, string Detail) Map(CallApiException e) => (e.Failure, e.StatusCode) switch
    {
        (CallApiFailure.Timeout, _) => (504, "CallAPI timed out", $"CallAPI did not answer in time: {e.PlatformMessage} The request may or may not have been carried out."),
        (CallApiFailure.ConnectionFailed, _) => (502, "CallAPI unreachable", $"Could not reach CallAPI: {e.PlatformMessage}"),
        (CallApiFailure.InvalidResponse, _) => (502, "CallAPI answered malformed JSON", e.PlatformMessage),
        (_, 401 or 403) => (502, "CallAPI credentials rejected",
            $"CallAPI refused the credentials (HTTP {e.StatusCode}): check CallApi:AccountSid and CallApi:AuthToken. The platform said: {e.PlatformMessage}"),
        (_, 410) => (409, "Call not live", $"The platform says the call has already ended: {e.PlatformMessage}"),
        (_, 406) => (404, "Call unknown to the platform", $"The platform does not know this call: {e.PlatformMessage}"),
        _ => (502, "CallAPI refused the request", $"CallAPI answered HTTP {e.StatusCode}: {e.PlatformMessage}"),
    };

    private static TransferOutcome Replay(Transfer earlier) => earlier.State switch
    {
        TransferStates.Pending => TransferOutcome.Problem(StatusCodes.Status409Conflict, "Conflict",
            $"The request with this Idempotency-Key (transfer {earlier.Id}) is still in progress.", earlier),
        _ when earlier.AnswerStatus is null or StatusCodes.Status200OK => TransferOutcome.Ok(earlier),
        _ => TransferOutcome.Problem(earlier.AnswerStatus.Value, earlier.AnswerTitle ?? "CallAPI request failed",
            earlier.AnswerDetail ?? earlier.FailureReason ?? "The first request with this Idempotency-Key failed.", earlier),
    };

    /// <summary>What the conference precondition resolved; the transfer uses exactly that.</summary>
    private sealed class ConferencePlan
    {
        public string? From { get; set; }
        /// <summary>The agent to call back into the room (null with MoveConnectedCallLeg).</summary>
        public Agent? Connected { get; set; }
    }

    private Func<Call, string?> ConferencePrecondition(bool moveConnectedCallLeg, ConferencePlan plan) => call =>
    {
        plan.From = CallerIdOf(call);
        if (plan.From is null) return $"Call {call.CallSid} has no caller id (From) and CallApi:CallerId is not set.";
        if (moveConnectedCallLeg) return null;
        if (!agents.TryFind(call.Agent, out var connected))
            return $"Call {call.CallSid} is not connected to a configured agent to call back; use \"moveConnectedCallLeg\": true.";
        plan.Connected = connected;
        return null;
    };

    /// <summary>The call's caller (From), else <c>CallApi:CallerId</c>; also for a room this server did not open (no call).</summary>
    private string? CallerIdOf(Call? call) => NonEmpty(call?.From) ?? NonEmpty(callApiOptions.CurrentValue.CallerId);

    private static string? NonEmpty(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>
    /// A call executing a Dial or ringing inside one, which the platform counts as in progress: a leg it created for a Dial
    /// (or any child leg), an incoming call we answered by dialling an agent (<see cref="Call.Agent"/> is only set on those;
    /// a call we created ourselves is not in a Dial before it is answered), or one a Dial outcome was reported for.
    /// </summary>
    private static bool InADial(Call call) =>
        call.Direction == "outbound-dial" || call.ParentCallSid is not null
        || (call.Agent is not null && call.Direction != "outbound-api")
        || call.Parameters.ContainsKey("DialCallStatus");

    /// <summary>Progress events asked for on calls we create, so /status follows them from the start (not only their end).</summary>
    public const string CreatedCallEvents = "initiated,ringing,answered,completed";

    private OutgoingCall Outgoing(string from, AgentAddress to, string url) => new()
    {
        From = from, To = to.ToCallApiTo(), Url = url,
        StatusCallback = urls.For(RcmlPaths.Status), StatusCallbackEvent = CreatedCallEvents, FallbackUrl = rcmlUrls.Fallback(),
    };

    /// <summary>
    /// Records a final status the platform confirmed, by the same rule as its own status callbacks (a call that already
    /// ended keeps its first final status; a later callback cannot overwrite this one either). The call is not created.
    /// </summary>
    private Task MarkEndedAsync(string callSid, string status) =>
        calls.UpdateAsync(callSid,
            c => new WebhookCallData(callSid, new Dictionary<string, string>(StringComparer.Ordinal) { ["CallStatus"] = status }).ApplyTo(c, time.GetUtcNow()),
            CancellationToken.None);

    private static string Fingerprint(params object?[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", parts.Select(p => p?.ToString() ?? "\u0000")))));

    /// <summary>The CallAPI requests of one action, each logged to the transfer as soon as it is answered.</summary>
    private sealed class Steps(LiveCallClient callApi, TransferStore transfers, CallStore calls, string transferId, CancellationToken ct)
    {
        private readonly CallApiJournal _journal = new();

        public List<string> CreatedCallSids { get; } = [];

        /// <summary>CallAPI requests made so far.</summary>
        public int RequestCount { get; private set; }

        /// <summary>The call being modified when a request failed (410/406 speak of it).</summary>
        public string? ModifyingCallSid { get; private set; }

        public async Task ModifyAsync(string callSid, LiveCallModification change)
        {
            ModifyingCallSid = callSid;
            try
            {
                await callApi.ModifyCallAsync(callSid, change, _journal, ct);
            }
            finally
            {
                await FlushAsync();
            }
            ModifyingCallSid = null;
        }

        /// <summary>The call as the platform sees it now (logged like every other request of the action).</summary>
        public async Task<PlatformCall> ReadAsync(string callSid)
        {
            try
            {
                return await callApi.ReadCallAsync(callSid, _journal, ct);
            }
            finally
            {
                await FlushAsync();
            }
        }

        /// <summary>
        /// Creates a call and stores each leg the platform made, so agents see it in GET /calls and can hang it up or mute it.
        /// <paramref name="agent"/> is the agent being called, when it is one.
        /// </summary>
        public async Task CreateAsync(OutgoingCall call, string? agent)
        {
            IReadOnlyList<PlatformCall> legs;
            try
            {
                legs = await callApi.CreateCallAsync(call, _journal, ct);
                CreatedCallSids.AddRange(legs.Select(l => l.Sid).OfType<string>());
            }
            finally
            {
                await FlushAsync();
            }
            foreach (var leg in legs)
                if (CallSidRules.Problem(leg.Sid) is null)
                    // The same merge as a platform callback: one that arrived first keeps its (later) status.
                    await calls.RecordWebhookAsync(AsCallData(leg, call), c => c.Agent ??= agent, CancellationToken.None);
        }

        /// <summary>A created leg in the shape of a platform callback about it, from the platform's answer (and our request).</summary>
        private static WebhookCallData AsCallData(PlatformCall leg, OutgoingCall request)
        {
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["CallSid"] = leg.Sid!,
                ["From"] = leg.From ?? request.From,
                ["To"] = leg.To ?? request.To,
                ["Direction"] = leg.Direction ?? "outbound-api",
            };
            if (CallStatuses.IsKnown(leg.Status)) parameters["CallStatus"] = leg.Status!;
            if (!string.IsNullOrEmpty(leg.AccountSid)) parameters["AccountSid"] = leg.AccountSid;
            return new WebhookCallData(leg.Sid!, parameters);
        }

        public async Task FlushAsync()
        {
            var exchanges = _journal.Drain();
            RequestCount += exchanges.Count;
            await transfers.AppendRequestsAsync(transferId, exchanges, CancellationToken.None);
        }
    }
}
