using AppServer.CallApi;
using AppServer.Calls;
using AppServer.Calls.Store;

namespace AppServer.Actions;

/// <summary>
/// Carries out one action's steps: each CallAPI request is logged to the action as soon as it is answered, each leg
/// the platform creates is stored, and what the platform accepted is recorded on the calls. One instance per action.
/// </summary>
public sealed class ActionSteps(LiveCallClient callApi, CallActionStore actions, CallStore calls, TimeProvider time,
    ILogger logger, string actionId, CancellationToken ct)
{
    private readonly CallApiJournal _journal = new();

    public List<string> CreatedCallSids { get; } = [];

    /// <summary>CallAPI requests made so far.</summary>
    public int RequestCount { get; private set; }

    /// <summary>The call being modified when a request failed (410/406 speak of it).</summary>
    public string? ModifyingCallSid { get; private set; }

    public Task RunAsync(ActionStep step) => step switch
    {
        ModifyCall modify => ModifyAsync(modify),
        CreateCall create => CreateAsync(create),
        HangUpCall hangUp => HangUpAsync(hangUp),
        SetCallAgent agent => calls.UpdateAsync(agent.CallSid, c => c.Agent = agent.Agent, CancellationToken.None),
        SetCallMuted mute => calls.UpdateAsync(mute.CallSid, c => c.Muted = mute.Muted, CancellationToken.None),
        SetCallHold hold => SetHoldAsync(hold),
        SetActionState state => actions.SetStateAsync(state.ActionId, state.State, state.Reason, CancellationToken.None),
        _ => throw new InvalidOperationException($"No way to run {step.GetType().Name}."),
    };

    private Task SetHoldAsync(SetCallHold step)
    {
        var now = time.GetUtcNow();
        return calls.UpdateAsync(step.CallSid, c =>
        {
            if (step.OnHold && !c.OnHold) c.HeldAt = now;
            c.OnHold = step.OnHold;
            if (!step.OnHold) c.HeldAt = null;
            if (step.Room is null) return;
            if (c.Room != step.Room) c.JoinedRoomAt = now;
            c.Room = step.Room;
            c.RoomRole ??= RoomRoles.Of(c);
        }, CancellationToken.None);
    }

    private async Task ModifyAsync(ModifyCall step)
    {
        var change = step.Change;
        // Read right before the request, not when the plan was made: this also sees a mute that finished just before.
        if (step.KeepMute && change.Mute is null && (await calls.FindAsync(step.CallSid, CancellationToken.None))?.Muted == true)
            change = change with { Mute = true };
        ModifyingCallSid = step.CallSid;
        try
        {
            await callApi.ModifyCallAsync(step.CallSid, change, _journal, ct);
        }
        finally
        {
            await FlushAsync();
        }
        ModifyingCallSid = null;
    }

    private async Task HangUpAsync(HangUpCall step)
    {
        var status = step.SurelyInProgress ? CallStatuses.Completed : await LiveHangUpStatusAsync(step);
        try
        {
            await ModifyAsync(new ModifyCall(step.CallSid, new LiveCallModification { Status = status }, KeepMute: false));
        }
        catch (CallApiException e) when (step.ToleratesGone
            && e.StatusCode is StatusCodes.Status410Gone or StatusCodes.Status406NotAcceptable)
        {
            ModifyingCallSid = null;
            await MarkEndedAsync(step.CallSid, CallStatuses.Completed);
            return;
        }
        // Only after the platform's 200: a later /status with the real final status cannot be overwritten, nor is it pre-empted.
        await MarkEndedAsync(step.CallSid, status);
    }

    /// <summary>The stored status lags (the platform reports only the end of a call by default): ask the platform.</summary>
    private async Task<string> LiveHangUpStatusAsync(HangUpCall step)
    {
        var status = step.StoredStatus;
        try
        {
            status = (await ReadAsync(step.CallSid)).Status ?? status;
        }
        catch (CallApiException e)
        {
            logger.LogWarning("Could not read the live status of {CallSid} before hanging up ({Reason}); using the stored {Status}",
                step.CallSid, e.Message, step.StoredStatus);
        }
        return CallStatuses.IsNotYetAnswered(status) ? CallStatuses.Canceled : CallStatuses.Completed;
    }

    private async Task<PlatformCall> ReadAsync(string callSid)
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
    /// </summary>
    private async Task CreateAsync(CreateCall step)
    {
        IReadOnlyList<PlatformCall> legs;
        try
        {
            legs = await callApi.CreateCallAsync(step.Call, _journal, ct);
            CreatedCallSids.AddRange(legs.Select(l => l.Sid).OfType<string>());
        }
        finally
        {
            await FlushAsync();
        }
        foreach (var leg in legs)
            if (CallSidRules.Problem(leg.Sid) is null)
                // The same merge as a platform callback: one that arrived first keeps its (later) status.
                await calls.RecordWebhookAsync(AsCallData(leg, step.Call), c =>
                {
                    c.Agent ??= step.Agent;
                    c.CustomerCallSid ??= step.CustomerCallSid;
                    // The leg may have joined its room before its creation was stored here: it is an agent's, not a guest's.
                    if (c.Room is not null) c.RoomRole = RoomRoles.Of(c);
                }, CancellationToken.None);
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

    public Task MarkEndedAsync(string callSid, string status) => calls.MarkEndedAsync(callSid, status, CancellationToken.None);

    public async Task FlushAsync()
    {
        var exchanges = _journal.Drain();
        await actions.AppendRequestsAsync(actionId, RequestCount + 1, exchanges, CancellationToken.None);
        RequestCount += exchanges.Count;
    }
}
