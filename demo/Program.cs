using Demo;

// One command for a first look (README "Try it"): AppServer and the CallAPI emulator side by side, callers dialling in
// every few seconds, the agent console ready to transfer them. Ctrl+C stops both.
DemoOptions options;
try
{
    options = DemoOptions.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(
        "usage: dotnet run --project demo [-- --appserver-port 5080 --emulator-port 5090 --interval 5 --max-live-calls 4]");
    return 2;
}

using var stop = new CancellationTokenSource();
var signals = Signals.CancelOnStop(stop);
// A fresh database each run, outside the repository: the demo leaves nothing behind.
var scratch = Directory.CreateTempSubdirectory("appserver-demo-");
try
{
    await using (var emulatorProcess = ChildProcess.Start("emulator", options.EmulatorDll, scratch.FullName, EmulatorArguments(options)))
    await using (var appServerProcess = ChildProcess.Start("appserver", options.AppServerDll, scratch.FullName,
                     AppServerArguments(options, scratch.FullName)))
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        if (!await Readiness.WaitAsync(http, options, [emulatorProcess, appServerProcess], stop.Token)) return 1;
        Console.WriteLine($"""
            [demo] ready: AppServer pid {appServerProcess.Id}, emulator pid {emulatorProcess.Id}
            [demo]   agent console  {options.AppServer}   (sign in with dev-agent-key)
            [demo]   API reference  {options.AppServer}scalar
            [demo]   emulator state {options.Emulator}
            [demo] a caller dials {CallPlacer.DemoNumber} every {options.Interval.TotalSeconds:0} s
            [demo] at most {options.MaxLiveCalls} calls up at once (the oldest caller hangs up)
            [demo] Ctrl+C stops everything
            """);
        using var emulator = new HttpClient { BaseAddress = options.Emulator, Timeout = TimeSpan.FromSeconds(10) };
        await new CallPlacer(emulator, options).RunAsync(stop.Token);
        Console.WriteLine("[demo] stopping AppServer and the emulator…");
    }
    Console.WriteLine("[demo] stopped");
    return 0;
}
finally
{
    foreach (var signal in signals) signal.Dispose();
    try
    {
        scratch.Delete(recursive: true);
    }
    catch (IOException)
    {
        // A file still held on a slow file system: it is in the temp folder, the system cleans it.
    }
}

static IEnumerable<string> EmulatorArguments(DemoOptions o) =>
[
    $"--Emulator:Urls={o.Emulator.ToString().TrimEnd('/')}",
    $"--Emulator:Numbers:*:Url={o.AppServer}incoming",
    $"--Emulator:Numbers:*:FallbackUrl={o.AppServer}fallback",
    $"--Emulator:Numbers:*:StatusCallback={o.AppServer}status",
    // Agents think a moment before answering, so "ringing" shows in the console before "talking".
    "--Emulator:Scenario:RingDelayMs=1500",
    "--Logging:LogLevel:Default=Warning",
];

static IEnumerable<string> AppServerArguments(DemoOptions o, string scratch) =>
[
    $"--urls=http://localhost:{o.AppServerPort}",
    $"--AppServer:PublicBaseUrl={o.AppServer.ToString().TrimEnd('/')}",
    $"--CallApi:BaseUrl={o.Emulator}restcomm",
    $"--ConnectionStrings:AppServer=Data Source={Path.Combine(scratch, "appserver-demo.db")}",
    "--Logging:LogLevel:Default=Warning",
    "--Logging:LogLevel:Microsoft.Hosting.Lifetime=Warning",
    // SQLite's note that a migration's PRAGMA runs outside a transaction means nothing to a demo's fresh database.
    "--Logging:LogLevel:Microsoft.EntityFrameworkCore.Migrations=Error",
];
