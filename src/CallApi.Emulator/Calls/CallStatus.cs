namespace CallApi.Emulator.Calls;

/// <summary>Call status names as the platform spells them.</summary>
public static class CallStatus
{
    public const string Queued = "queued";
    public const string Ringing = "ringing";
    public const string InProgress = "in-progress";
    public const string Completed = "completed";
    public const string Busy = "busy";
    public const string Failed = "failed";
    public const string NoAnswer = "no-answer";
    public const string Canceled = "canceled";

    public static bool IsFinal(string status) =>
        status is Completed or Busy or Failed or NoAnswer or Canceled;
}

public static class CallDirection
{
    public const string Inbound = "inbound";
    public const string OutboundApi = "outbound-api";
    public const string OutboundDial = "outbound-dial";
}
