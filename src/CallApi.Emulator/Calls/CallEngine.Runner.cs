using CallApi.Emulator.Activity;
using CallApi.Emulator.Rcml;

namespace CallApi.Emulator.Calls;

/// <summary>What <see cref="CallRunner"/> asks of the call model. Each call checks the runner's token under the gate.</summary>
public sealed partial class CallEngine
{
    internal void Note(Call call, string activity, CancellationToken ct)
    {
        lock (Gate)
        {
            ct.ThrowIfCancellationRequested();
            AnswerIfRingingLocked(call);
            NoteLocked(call, activity);
        }
    }

    /// <summary>A Play/Say with loop="0" starts: the leg hears it until moved or ended. The wakeup is never fired.</summary>
    internal Wakeup<bool> StartLoop(Call call, string activity, string? musicUrl, CancellationToken ct)
    {
        lock (Gate)
        {
            ct.ThrowIfCancellationRequested();
            AnswerIfRingingLocked(call);
            NoteLocked(call, activity + " (looping)");
            call.Looping = new LoopingPrompt(musicUrl);
            return new Wakeup<bool>(tracker);
        }
    }

    /// <summary>The document ran out of verbs: the platform hangs up.</summary>
    internal void EndAfterScript(Call call, CancellationToken ct)
    {
        lock (Gate)
        {
            if (!ct.IsCancellationRequested)
            {
                EndLocked(call, CallStatus.Completed);
            }
        }
    }

    /// <summary>No usable RCML (fetch and fallback failed): an answered call completes, an unanswered one fails.</summary>
    internal void EndAfterFailure(Call call, string reason, CancellationToken ct)
    {
        lock (Gate)
        {
            if (!ct.IsCancellationRequested)
            {
                NoteLocked(call, "error: " + reason);
                EndLocked(call, call.WasAnswered ? CallStatus.Completed : CallStatus.Failed);
            }
        }
    }

    internal void HangupVerb(Call call, CancellationToken ct)
    {
        lock (Gate)
        {
            ct.ThrowIfCancellationRequested();
            NoteLocked(call, "hangup");
            EndLocked(call, CallStatus.Completed);
        }
    }

    /// <summary>Reject refuses an unanswered call (busy or failed); on an answered call it just hangs up.</summary>
    internal void RejectVerb(Call call, string reason, CancellationToken ct)
    {
        lock (Gate)
        {
            ct.ThrowIfCancellationRequested();
            NoteLocked(call, "reject: " + reason);
            EndLocked(call, call.WasAnswered ? CallStatus.Completed : reason == "busy" ? CallStatus.Busy : CallStatus.Failed);
        }
    }

    internal ApplicationRequest RcmlRequest(Call call, string url, string method, IEnumerable<KeyValuePair<string, string>>? extra = null)
    {
        lock (Gate)
        {
            return RcmlRequestLocked(call, url, method, extra);
        }
    }

    /// <summary>The FallbackUrl request after a failed fetch, with Twilio's ErrorCode/ErrorUrl; null when the call has none.</summary>
    internal ApplicationRequest? FallbackRequest(Call call, ApplicationRequest failed, int errorCode)
    {
        lock (Gate)
        {
            if (call.FallbackUrl is null || failed.Url == call.FallbackUrl)
            {
                return null;
            }
            return RcmlRequestLocked(call, call.FallbackUrl, call.FallbackMethod,
                [new("ErrorCode", errorCode.ToString(System.Globalization.CultureInfo.InvariantCulture)), new("ErrorUrl", failed.Url)]);
        }
    }

    private ApplicationRequest RcmlRequestLocked(Call call, string url, string method, IEnumerable<KeyValuePair<string,
        string>>? extra = null)
    {
        var parameters = BaseParametersLocked(call, call.Status);
        if (extra is not null)
        {
            parameters.AddRange(extra);
        }
        return new ApplicationRequest(url, method, parameters);
    }
}
