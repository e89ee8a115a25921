using System.Diagnostics;

namespace Demo;

/// <summary>
/// One of the two apps, run as <c>dotnet app.dll</c> with its output prefixed. Disposing stops it: politely first
/// (SIGTERM, so the host shuts down and SQLite closes cleanly), then by force with its whole tree.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _name;

    private ChildProcess(string name, Process process)
    {
        _name = name;
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static ChildProcess Start(string name, string dll, string workingDirectory, IEnumerable<string> arguments)
    {
        if (!File.Exists(dll)) throw new FileNotFoundException($"{name} is not built: {dll} is missing (run `dotnet build` first).");
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Development would make AppServer warn about its development secrets on every start; Production is what it is.
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        process.OutputDataReceived += (_, e) => Print(name, e.Data);
        process.ErrorDataReceived += (_, e) => Print(name, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(name, process);
    }

    /// <summary>The dotnet host running this demo (`dotnet run` or `dotnet Demo.dll`), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
    }

    private static void Print(string name, string? line)
    {
        if (line is not null) Console.WriteLine($"[{name}] {line}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Signals.Terminate(_process.Id);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine($"[demo] {_name} did not stop within 10 s: killing it");
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
    }
}
