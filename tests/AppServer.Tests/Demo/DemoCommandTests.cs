using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AppServer.Tests.Demo;

/// <summary>
/// The README's first "try it": the demo command starts AppServer and the emulator, calls reach AppServer through the
/// emulator by themselves, and Ctrl+C (SIGINT) stops both. The demo runs as its own process, as a newcomer would run it
/// (built output of demo/, which the test project builds first), on free loopback ports.
/// </summary>
public sealed partial class DemoCommandTests
{
    private static readonly TimeSpan FirstCallLimit = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_demo_starts_both_apps_places_calls_that_reach_appserver_and_ctrl_c_stops_both()
    {
        var appServerPort = FreeLoopbackPort();
        var emulatorPort = FreeLoopbackPort();
        var output = new StringBuilder();
        using var demo = StartDemo(output, "--appserver-port", $"{appServerPort}", "--emulator-port", $"{emulatorPort}",
            "--interval", "1");
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            http.DefaultRequestHeaders.Add("X-Api-Key", "dev-agent-key");
            var calls = await FirstCallsAsync(http, new Uri($"http://127.0.0.1:{appServerPort}/calls"), demo, output);
            Assert.Contains(calls, c => c.GetProperty("from").GetString()!.StartsWith("+1555010", StringComparison.Ordinal)
                                        && c.GetProperty("to").GetString() == "+15550001000");

            var pids = ReadyLine().Match(Snapshot(output));
            Assert.True(pids.Success, "the demo names its children's pids:\n" + Snapshot(output));

            Interrupt(demo.Id);
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await demo.WaitForExitAsync(exit.Token);
            Assert.Equal(0, demo.ExitCode);
            Assert.Contains("[demo] stopped", Snapshot(output));
            foreach (var pid in new[] { pids.Groups["app"].Value, pids.Groups["emu"].Value })
                Assert.False(Directory.Exists($"/proc/{pid}"), $"child {pid} still runs after Ctrl+C");
            Assert.False(await ListensAsync(appServerPort), "AppServer's port is still open");
            Assert.False(await ListensAsync(emulatorPort), "the emulator's port is still open");
        }
        finally
        {
            if (!demo.HasExited) demo.Kill(entireProcessTree: true);
        }
    }

    private static async Task<List<JsonElement>> FirstCallsAsync(HttpClient http, Uri calls, Process demo, StringBuilder output)
    {
        var deadline = DateTime.UtcNow + FirstCallLimit;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(demo.HasExited, "the demo stopped by itself:\n" + Snapshot(output));
            try
            {
                var list = JsonDocument.Parse(await http.GetStringAsync(calls)).RootElement.EnumerateArray().ToList();
                if (list.Count > 0) return list;
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // starting slowly
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"no call in GET /calls within {FirstCallLimit.TotalSeconds} s:\n{Snapshot(output)}");
    }

    private static Process StartDemo(StringBuilder output, params string[] arguments)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(DemoDll());
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null) return;
        lock (output) output.AppendLine(line);
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output) return output.ToString();
    }

    /// <summary>What Ctrl+C sends to the demo in a terminal.</summary>
    private static void Interrupt(int pid)
    {
        using var kill = Process.Start("kill", ["-INT", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<bool> ListensAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static string DemoDll()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "AppServer.sln")))
                return Path.Combine(dir.FullName, "demo", "bin", Configuration, "net10.0", "Demo.dll");
        throw new InvalidOperationException("AppServer.sln not found above " + AppContext.BaseDirectory);
    }

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [GeneratedRegex(@"ready: AppServer pid (?<app>\d+), emulator pid (?<emu>\d+)")]
    private static partial Regex ReadyLine();
}
