using System.ComponentModel.DataAnnotations;

namespace AppServer.AgentConsole;

/// <summary><c>AppServer:Console</c>: how the live call stream treats a console that does not keep up.</summary>
public sealed class ConsoleStreamOptions
{
    public const string Section = "AppServer:Console";

    /// <summary>
    /// Events one stream may have waiting before it is considered behind and sent a fresh snapshot instead. Each event
    /// holds every call changed since the last, so this is a measure of time, not of calls.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = "AppServer:Console:StreamBufferEvents must be between 1 and 100000.")]
    public int StreamBufferEvents { get; set; } = 64;

    /// <summary>
    /// The least time between two events: changes made meanwhile go out together. Every event costs every open stream a
    /// write and a flush, so under a burst of webhooks one event per interval, not one per commit, keeps 300 consoles cheap.
    /// </summary>
    [Range(0, 5000, ErrorMessage = "AppServer:Console:StreamIntervalMilliseconds must be between 0 and 5000.")]
    public int StreamIntervalMilliseconds { get; set; } = 100;
}
