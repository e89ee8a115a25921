using System.Globalization;
using CallApi.Emulator.Activity;
using CallApi.Emulator.Calls;

namespace CallApi.Emulator.Rcml;

/// <summary>
/// Executes the RCML of one call in the background: fetch, fall back, run verbs, follow Redirect and Dial
/// actions. Bounded: at most MaxVerbsPerDocument verbs per document and MaxRedirects further documents.
/// Its token is canceled when the call is redirected (a new runner takes over) or hung up.
/// </summary>
public sealed class CallRunner(
    CallEngine engine,
    RcmlFetcher fetcher,
    EmulatorOptions options,
    TimeProvider time,
    ILogger<CallRunner> logger)
{
    /// <summary>
    /// The caller has entered the activity tracker for this run; it is left when the run ends. A positive
    /// <paramref name="delay"/> is the wait of a moved leg before it requests its new Url.
    /// </summary>
    internal async Task RunAsync(Call call, ApplicationRequest first, TimeSpan delay, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CallSid"] = call.Sid });
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time, ct);
            }
            var next = first;
            for (var document = 0; ; document++)
            {
                if (document > options.MaxRedirects)
                {
                    engine.EndAfterFailure(call, $"more than {options.MaxRedirects} redirects", ct);
                    return;
                }
                var verbs = await FetchWithFallbackAsync(call, next, ct);
                if (verbs is null)
                {
                    return;
                }
                var follow = await ExecuteAsync(call, verbs, ct);
                if (follow is null)
                {
                    engine.EndAfterScript(call, ct);
                    return;
                }
                next = follow;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Redirected or hung up: the call belongs to someone else now.
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "RCML runner failed");
            engine.EndAfterFailure(call, ex.Message, ct);
        }
        finally
        {
            engine.RunnerFinished(call, ct);
        }
    }

    private async Task<IReadOnlyList<RcmlVerb>?> FetchWithFallbackAsync(Call call, ApplicationRequest request, CancellationToken ct)
    {
        logger.LogInformation("Fetching RCML {Method} {Url}", request.Method, request.Url);
        var result = await fetcher.FetchAsync(request, ct);
        if (result.Verbs is not null)
        {
            return result.Verbs;
        }
        if (engine.FallbackRequest(call, request, result.ErrorCode) is { } fallback)
        {
            logger.LogInformation("Fetching FallbackUrl {Method} {Url}", fallback.Method, fallback.Url);
            result = await fetcher.FetchAsync(fallback, ct);
            if (result.Verbs is not null)
            {
                return result.Verbs;
            }
        }
        engine.EndAfterFailure(call, result.Error ?? "no RCML", ct);
        return null;
    }

    /// <summary>Runs the verbs; returns the next document to fetch (Redirect, Dial action) or null when the document ends.</summary>
    private async Task<ApplicationRequest?> ExecuteAsync(Call call, IReadOnlyList<RcmlVerb> verbs, CancellationToken ct)
    {
        foreach (var verb in verbs.Take(options.MaxVerbsPerDocument))
        {
            ct.ThrowIfCancellationRequested();
            switch (verb)
            {
                case SayVerb { Loop: 0 } say:
                    await LoopAsync(call, "say: " + say.Text, null, ct);
                    break;
                case SayVerb say:
                    engine.Note(call, Times("say: " + say.Text, say.Loop), ct);
                    break;
                case PlayVerb { Loop: 0 } play:
                    await LoopAsync(call, "play: " + play.Url, play.Url, ct);
                    break;
                case PlayVerb play:
                    engine.Note(call, Times("play: " + play.Url, play.Loop), ct);
                    break;
                case PauseVerb pause:
                    engine.Note(call, "pause: " + pause.Seconds.ToString(CultureInfo.InvariantCulture), ct);
                    await PauseAsync(pause.Seconds, ct);
                    break;
                case GatherVerb gather:
                    // Nobody presses keys in the emulator: prompts play, the gather times out, RCML goes on.
                    foreach (var prompt in gather.Prompts.OfType<SayVerb>())
                    {
                        engine.Note(call, "say: " + prompt.Text, ct);
                    }
                    engine.Note(call, "gather: no input", ct);
                    break;
                case RecordVerb:
                    engine.Note(call, "record: nothing recorded", ct);
                    break;
                case RedirectVerb redirect:
                    engine.Note(call, "redirect: " + redirect.Url, ct);
                    return engine.RcmlRequest(call, redirect.Url, redirect.Method);
                case HangupVerb:
                    engine.HangupVerb(call, ct);
                    ct.ThrowIfCancellationRequested();
                    return null;
                case RejectVerb reject:
                    engine.RejectVerb(call, reject.Reason, ct);
                    ct.ThrowIfCancellationRequested();
                    return null;
                case DialVerb dial:
                    var result = dial.Conference is { } room
                        ? await ConferenceAsync(call, dial, room, ct)
                        : await DialAsync(call, dial, ct);
                    if (dial.Action is not null)
                    {
                        return engine.RcmlRequest(call, dial.Action, dial.Method, ActionParameters(result));
                    }
                    break;
            }
        }
        return null;
    }

    private async Task<DialResult> DialAsync(Call call, DialVerb dial, CancellationToken ct)
    {
        if (engine.BeginDial(call, dial, ct) is not { } session)
        {
            return new DialResult(CallStatus.Failed, null, 0, 0);
        }
        // Not busy while the parties ring (manual parties) or talk: a person decides when this ends.
        var (fired, result) = await session.Done.SleepAsync(TimeSpan.FromSeconds(dial.TimeLimitSeconds + dial.TimeoutSeconds), time, ct);
        if (fired)
        {
            return result!;
        }
        return engine.EndDialAtTimeLimit(session, ct) ?? throw new OperationCanceledException(ct);
    }

    private async Task<DialResult> ConferenceAsync(Call call, DialVerb dial, ConferenceNoun room, CancellationToken ct)
    {
        var joined = time.GetUtcNow();
        if (engine.JoinConference(call, room, ct) is not { } left)
        {
            return new DialResult(CallStatus.Failed, null, 0, 0);
        }
        var (fired, _) = await left.SleepAsync(TimeSpan.FromSeconds(dial.TimeLimitSeconds), time, ct);
        if (!fired)
        {
            engine.LeaveConference(call, ct);
        }
        ct.ThrowIfCancellationRequested();
        return new DialResult(CallStatus.Completed, null, (int)(time.GetUtcNow() - joined).TotalSeconds, 0);
    }

    /// <summary>
    /// loop="0": the prompt repeats until the leg is moved or ends (the token is canceled). Like a person talking, it
    /// is not busy work; nothing but cancellation ends it.
    /// </summary>
    private async Task LoopAsync(Call call, string activity, string? musicUrl, CancellationToken ct)
    {
        await engine.StartLoop(call, activity, musicUrl, ct).SleepAsync(Timeout.InfiniteTimeSpan, time, ct);
    }

    private static string Times(string activity, int loop) =>
        loop > 1 ? $"{activity} ({loop.ToString(CultureInfo.InvariantCulture)} times)" : activity;

    private async Task PauseAsync(int seconds, CancellationToken ct)
    {
        var scaled = seconds * Math.Max(0, options.Scenario.PauseScale);
        if (scaled > 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(Math.Min(scaled, 60)), time, ct);
        }
    }

    private static List<KeyValuePair<string, string>> ActionParameters(DialResult result) =>
    [
        new("DialCallStatus", result.DialCallStatus),
        new("DialCallSid", result.DialCallSid ?? "null"),
        new("DialCallDuration", result.DialCallDuration.ToString(CultureInfo.InvariantCulture)),
        new("DialRingDuration", result.DialRingDuration.ToString(CultureInfo.InvariantCulture)),
    ];
}
