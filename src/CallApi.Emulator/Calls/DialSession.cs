using CallApi.Emulator.Activity;
using CallApi.Emulator.Rcml;

namespace CallApi.Emulator.Calls;

/// <summary>What a Dial reports to its action URL.</summary>
public sealed record DialResult(string DialCallStatus, string? DialCallSid, int DialCallDuration, int DialRingDuration);

/// <summary>A Dial in progress: the caller, the parties ringing in parallel, and the one that answered.</summary>
internal sealed class DialSession(Call caller, Wakeup<DialResult> done, DateTimeOffset startedAt)
{
    public Call Caller { get; } = caller;
    public Wakeup<DialResult> Done { get; } = done;
    public DateTimeOffset StartedAt { get; } = startedAt;
    public List<Call> Targets { get; } = [];
    public Call? Bridged { get; set; }
    public bool Finished { get; set; }

    /// <summary>Stops the ring-timeout timer once the Dial is decided.</summary>
    public CancellationTokenSource Timers { get; } = new();
}
