using System.Globalization;
using CallApi.Emulator.Activity;
using CallApi.Emulator.Callbacks;
using CallApi.Emulator.Rcml;
using CallApi.Emulator.Scenario;

namespace CallApi.Emulator.Calls;

/// <summary>
/// The call model: every state change of every leg goes through here, under the registry gate.
/// Methods ending in "Locked" must be called with the gate held. Runners (<see cref="CallRunner"/>)
/// do the slow parts (HTTP, waiting) outside the gate and pass their CancellationToken so that a
/// runner which was redirected or hung up can never change the call afterwards.
/// </summary>
public sealed partial class CallEngine(
    CallRegistry registry,
    ActivityTracker tracker,
    ScenarioRules scenario,
    EmulatorOptions options,
    TimeProvider time,
    CallbackSender callbacks,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILogger<CallEngine> logger)
{
    private const int MaxActivityEntries = 200;

    // Resolved lazily: the runner needs the engine and the engine starts runners.
    private CallRunner Runner => services.GetRequiredService<CallRunner>();

    internal Lock Gate => registry.Gate;

    public CallResource? Find(string sid)
    {
        lock (Gate)
        {
            return registry.Calls.TryGetValue(sid, out var call) ? CallResource.Of(call) : null;
        }
    }

    public IReadOnlyList<CallResource> List()
    {
        lock (Gate)
        {
            return registry.Calls.Values.OrderBy(c => c.DateCreated).Select(CallResource.Of).ToList();
        }
    }

    // ---------------------------------------------------------------- lifecycle

    private Call NewCallLocked(string from, string to, string direction, string? parentSid)
    {
        var now = time.GetUtcNow();
        var call = new Call
        {
            Sid = CallSid.New(),
            AccountSid = options.AccountSid,
            ParentCallSid = parentSid,
            From = from,
            To = to,
            Direction = direction,
            DateCreated = now,
            DateUpdated = now,
        };
        registry.Calls[call.Sid] = call;
        logger.LogInformation("Call {CallSid} created {Direction} from {From} to {To}", call.Sid, direction, from, to);
        return call;
    }

    private void SetRingingLocked(Call call)
    {
        SetStatusLocked(call, CallStatus.Ringing);
        ProgressEventLocked(call, ProgressEvents.Ringing);
    }

    private void AnswerLocked(Call call)
    {
        call.StartTime = time.GetUtcNow();
        SetStatusLocked(call, CallStatus.InProgress);
        ProgressEventLocked(call, ProgressEvents.Answered);
    }

    /// <summary>An inbound call is answered by the first verb that needs media (anything but Reject).</summary>
    private void AnswerIfRingingLocked(Call call)
    {
        if (!call.WasAnswered && !call.IsEnded)
        {
            AnswerLocked(call);
        }
    }

    private void SetStatusLocked(Call call, string status)
    {
        call.Status = status;
        call.DateUpdated = time.GetUtcNow();
    }

    /// <summary>Ends a leg and everything that hangs on it: its Dial targets, its Dial caller's wait, its conference seat.</summary>
    private void EndLocked(Call call, string status)
    {
        if (call.IsEnded)
        {
            return;
        }
        SetStatusLocked(call, status);
        call.EndTime = time.GetUtcNow();
        StopExecutionLocked(call);
        logger.LogInformation("Call {CallSid} ended {Status}", call.Sid, status);

        if (call.OwnDial is { } ownDial)
        {
            AbandonDialLocked(ownDial, partnerMove: null);
        }
        if (call.ParentDial is { } parentDial)
        {
            TargetEndedLocked(parentDial, call);
        }
        if (call.ConferenceName is not null)
        {
            LeaveConferenceLocked(call);
        }
        ProgressEventLocked(call, ProgressEvents.Completed);
    }

    /// <summary>Hang-up by a person or by the API: an answered leg completes, an unanswered one is canceled.</summary>
    private void HangUpLocked(Call call) =>
        EndLocked(call, call.WasAnswered ? CallStatus.Completed : CallStatus.Canceled);

    /// <summary>
    /// Starts (or restarts, on redirect) the RCML runner of a call; the previous runner is canceled. With a
    /// <paramref name="delay"/> the runner first waits (a pending move: busy work, canceled like the runner).
    /// </summary>
    private void StartRunnerLocked(Call call, ApplicationRequest request, TimeSpan delay = default)
    {
        StopExecutionLocked(call);
        // A plain source (no timer, no linked registration) needs no Dispose; shutdown cancels it via StopAllRunners.
        var execution = new CancellationTokenSource();
        call.Execution = execution;
        tracker.Enter();
        var runner = Runner;
        _ = Task.Run(() => runner.RunAsync(call, request, delay, execution.Token), CancellationToken.None);
    }

    /// <summary>Cancels whatever the call's runner is doing, including a pending move and a looping prompt.</summary>
    private static void StopExecutionLocked(Call call)
    {
        call.Execution?.Cancel();
        call.Execution = null;
        call.Looping = null;
    }

    /// <summary>A runner ended: the call no longer has one (unless a redirect already started the next).</summary>
    internal void RunnerFinished(Call call, CancellationToken execution)
    {
        lock (Gate)
        {
            if (call.Execution?.Token == execution)
            {
                call.Execution = null;
            }
        }
        tracker.Exit();
    }

    /// <summary>On shutdown: every runner stops, including those waiting hours for a bridged call to end.</summary>
    public void StopAllRunners()
    {
        lock (Gate)
        {
            foreach (var call in registry.Calls.Values)
            {
                call.Execution?.Cancel();
            }
        }
    }

    /// <summary>Lets a ringing party answer or refuse after the scenario's ring delay.</summary>
    private void ScheduleRingOutcomeLocked(Call call, string outcome)
    {
        tracker.Enter();
        var delay = TimeSpan.FromMilliseconds(Math.Max(0, options.Scenario.RingDelayMs));
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, time, lifetime.ApplicationStopping);
                lock (Gate)
                {
                    if (call.Status == CallStatus.Ringing)
                    {
                        ApplyOutcomeLocked(call, outcome);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // shutting down
            }
            finally
            {
                tracker.Exit();
            }
        }, CancellationToken.None);
    }

    /// <summary>Ends a still-ringing party as no-answer when its ring timeout passes (manual parties only).</summary>
    private void ScheduleRingTimeoutLocked(Call call, int seconds, CancellationToken cancel)
    {
        var timeout = TimeSpan.FromSeconds(Math.Max(0, seconds) * Math.Max(0, options.Scenario.RingTimeoutScale));
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(timeout, time, cancel);
                lock (Gate)
                {
                    if (call.Status == CallStatus.Ringing)
                    {
                        EndLocked(call, CallStatus.NoAnswer);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // answered, redirected or shutting down
            }
        }, CancellationToken.None);
    }

    private void ApplyOutcomeLocked(Call call, string outcome)
    {
        switch (outcome)
        {
            case PartyOutcome.Answered:
                AnswerPartyLocked(call);
                break;
            case PartyOutcome.Busy:
                EndLocked(call, CallStatus.Busy);
                break;
            case PartyOutcome.NoAnswer:
                EndLocked(call, CallStatus.NoAnswer);
                break;
            case PartyOutcome.Failed:
                EndLocked(call, CallStatus.Failed);
                break;
        }
    }

    /// <summary>A ringing party picks up: a Dial target is bridged to its caller, an API call starts its Url.</summary>
    private bool AnswerPartyLocked(Call call)
    {
        if (call.Status != CallStatus.Ringing)
        {
            return false;
        }
        if (call.ParentDial is { } dial)
        {
            AnswerLocked(call);
            dial.Bridged = call;
            dial.Timers.Cancel();
            foreach (var other in dial.Targets.Where(t => t != call && !t.IsEnded).ToList())
            {
                EndLocked(other, CallStatus.Canceled);
            }
            return true;
        }
        if (call.Direction == CallDirection.OutboundApi && call.Url is not null)
        {
            AnswerLocked(call);
            StartRunnerLocked(call, RcmlRequestLocked(call, call.Url, call.Method));
            return true;
        }
        return false;
    }

    private void NoteLocked(Call call, string activity)
    {
        if (call.Activity.Count < MaxActivityEntries)
        {
            call.Activity.Add(activity);
        }
    }

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'",
        CultureInfo.InvariantCulture);
}
