using System.Diagnostics;

namespace AppServer.Telemetry;

/// <summary>
/// Puts the CallSid on the current span (the incoming request's, when tracing records it), so a trace can be found from
/// the call it served. A tag on a span, never on a metric: one CallSid per time series would be unbounded.
/// </summary>
public static class CallSidTag
{
    public const string Name = "appserver.call_sid";

    public static void OnCurrentActivity(string? callSid)
    {
        // IsAllDataRequested is false for a span that was created but will not be recorded: skip the work then.
        if (!string.IsNullOrEmpty(callSid) && Activity.Current is { IsAllDataRequested: true } activity) activity.SetTag(Name, callSid);
    }
}
