using System.Globalization;
using CallApi.Emulator.Rcml;

namespace CallApi.Emulator.Calls;

public sealed partial class CallEngine
{
    /// <summary>The Twilio-compatible parameters Restcomm sends with every request about a call (docs/platform.md §2).</summary>
    private List<KeyValuePair<string, string>> BaseParametersLocked(Call call, string callStatus)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("CallSid", call.Sid),
            new("AccountSid", call.AccountSid),
            new("From", Address.ForWebhook(call.From)),
            new("To", Address.ForWebhook(call.To)),
            new("CallStatus", callStatus),
            new("ApiVersion", CallApiVersion.Value),
            new("Direction", call.Direction),
            // Restcomm sends the literal text "null" for absent values.
            new("CallerName", "null"),
            new("ForwardedFrom", "null"),
            new("CallTimestamp", Iso(call.DateCreated)),
            new("InstanceId", options.InstanceId),
        };
        if (call.ParentCallSid is not null)
        {
            parameters.Add(new("ParentCallSid", call.ParentCallSid));
        }
        return parameters;
    }

    /// <summary>
    /// A progress event (initiated, ringing, answered, completed) of a leg: posted to the call's StatusCallback when
    /// subscribed, and to the statusCallback of the Dial noun that created the leg when subscribed there. A status
    /// callback without a subscription (an incoming call's number) hears only of the end.
    /// </summary>
    private void ProgressEventLocked(Call call, string progressEvent)
    {
        var completed = progressEvent == ProgressEvents.Completed;
        if (call.StatusCallback is { } statusCallback)
        {
            if (call.StatusCallbackEvents is { } events)
            {
                if (events.Contains(progressEvent))
                {
                    callbacks.Enqueue(ProgressRequestLocked(call, statusCallback, call.StatusCallbackMethod, progressEvent));
                }
            }
            else if (completed)
            {
                var parameters = BaseParametersLocked(call, call.Status);
                parameters.Add(new("Timestamp", Iso(time.GetUtcNow())));
                parameters.Add(new("CallDuration", DurationText(call)));
                callbacks.Enqueue(new ApplicationRequest(statusCallback, call.StatusCallbackMethod, parameters));
            }
        }

        if (call.NounCallback is { } noun && noun.Events.Contains(progressEvent))
        {
            callbacks.Enqueue(ProgressRequestLocked(call, noun.Url, noun.Method, progressEvent));
        }
    }

    /// <summary>
    /// What Restcomm's Call actor posts for a progress event: the leg's parameters (ParentCallSid for dialled legs)
    /// with CallStatus = the event's name ("completed" also for a busy or unanswered leg), its fixed SequenceNumber,
    /// CallbackSource=call-progress-events, an RFC 2822 Timestamp and, at the end, CallDuration.
    /// </summary>
    private ApplicationRequest ProgressRequestLocked(Call call, string url, string method, string progressEvent)
    {
        var parameters = BaseParametersLocked(call, progressEvent);
        parameters.Add(new("SequenceNumber", ProgressEvents.SequenceNumber(progressEvent).ToString(CultureInfo.InvariantCulture)));
        parameters.Add(new("CallbackSource", ProgressEvents.CallbackSource));
        parameters.Add(new("Timestamp", CallResource.Rfc2822(time.GetUtcNow())));
        if (progressEvent == ProgressEvents.Completed)
        {
            parameters.Add(new("CallDuration", DurationText(call)));
        }
        return new ApplicationRequest(url, method, parameters);
    }

    private static string DurationText(Call call) =>
        (CallResource.DurationOf(call) ?? 0).ToString(CultureInfo.InvariantCulture);
}
