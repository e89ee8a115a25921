using System.Globalization;
using CallApi.Emulator.Rcml;

namespace CallApi.Emulator.Calls;

public sealed partial class CallEngine
{
    /// <summary>The Twilio-compatible parameters Restcomm sends with every request about a call (SPEC section 2).</summary>
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
    /// A progress event (initiated, ringing, answered, completed) of a leg: posted to the call's StatusCallback
    /// when subscribed ("completed" is the default subscription), and to the statusCallback of the Dial noun
    /// that created the leg.
    /// </summary>
    private void ProgressEventLocked(Call call, string progressEvent)
    {
        var completed = progressEvent == "completed";
        if (call.StatusCallback is not null &&
            (call.StatusCallbackEvents.Contains(progressEvent) || (completed && call.StatusCallbackEvents.Count == 0)))
        {
            var parameters = BaseParametersLocked(call, StatusOfEvent(call, progressEvent));
            AddTimingLocked(parameters, call, completed);
            callbacks.Enqueue(new ApplicationRequest(call.StatusCallback, call.StatusCallbackMethod, parameters));
        }

        if (call.NounCallback is { } noun && noun.Events.Contains(progressEvent))
        {
            // Dial-noun callbacks name the event itself (SPEC section 2); "completed" carries the final status.
            var parameters = BaseParametersLocked(call, completed ? call.Status : progressEvent);
            call.NounSequence++;
            parameters.Add(new("SequenceNumber", (call.NounSequence - 1).ToString(CultureInfo.InvariantCulture)));
            parameters.Add(new("CallbackSource", "call-progress-events"));
            AddTimingLocked(parameters, call, completed);
            callbacks.Enqueue(new ApplicationRequest(noun.Url, noun.Method, parameters));
        }
    }

    private static string StatusOfEvent(Call call, string progressEvent) => progressEvent switch
    {
        "initiated" => CallStatus.Queued,
        "ringing" => CallStatus.Ringing,
        "answered" => CallStatus.InProgress,
        _ => call.Status,
    };

    private void AddTimingLocked(List<KeyValuePair<string, string>> parameters, Call call, bool completed)
    {
        parameters.Add(new("Timestamp", Iso(time.GetUtcNow())));
        if (completed)
        {
            parameters.Add(new("CallDuration", (CallResource.DurationOf(call) ?? 0).ToString(CultureInfo.InvariantCulture)));
        }
    }
}
