using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Demo;

/// <summary>
/// Ctrl+C (SIGINT) and SIGTERM end the demo the same way: the token is canceled and the children are stopped in order.
/// </summary>
public static class Signals
{
    public static IDisposable[] CancelOnStop(CancellationTokenSource stop)
    {
        void Handle(PosixSignalContext context)
        {
            context.Cancel = true; // not the default immediate exit: the children are stopped first
            stop.Cancel();
        }
        return [PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle)];
    }

    /// <summary>Asks a process to stop as an orchestrator would (SIGTERM; on Windows, which has none, it is killed).</summary>
    public static void Terminate(int pid)
    {
        if (OperatingSystem.IsWindows())
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            return;
        }
        _ = Kill(pid, 15);
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
