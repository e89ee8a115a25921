using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace AppServer.Tests.Infrastructure;

/// <summary>
/// AppServer published once per test run (<c>dotnet publish --no-build</c> of the build the tests reference, into a temp
/// folder), for tests that need a real process: exit codes, stderr, the listen address chosen by the environment.
/// </summary>
public sealed class PublishedAppServer : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(5);

    /// <summary>No MSBuild node or build server is left running after the publish (they would outlive the test run).</summary>
    private static readonly Dictionary<string, string?> NoBuildServers = new()
    {
        ["MSBUILDDISABLENODEREUSE"] = "1", ["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0",
    };

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "appserver-tests", "publish-" + Guid.NewGuid().ToString("N"));

    public string Dll => Path.Combine(Folder, "AppServer.dll");

    public async Task InitializeAsync()
    {
        var project = Path.Combine(RepositoryRoot(), "src", "AppServer", "AppServer.csproj");
        // The configuration the tests were built in: AppServer was built with them, so --no-build finds its output.
        var configuration = typeof(PublishedAppServer).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration
            ?? "Debug";
        await using var publish = AppServerProcess.Start(DotnetHost(), ["publish", project, "-c", configuration, "--no-build", "-o", Folder,
            "-nologo", "-v", "q", "-nodeReuse:false"], NoBuildServers, Path.GetTempPath());
        var exitCode = await publish.WaitForExitAsync(PublishTimeout);
        if (exitCode != 0 || !File.Exists(Dll))
            throw new InvalidOperationException($"dotnet publish failed ({exitCode}):\n{publish.Output}\n{publish.Errors}");
    }

    /// <summary>
    /// Starts the published AppServer with its own SQLite file and a test agent key; <paramref name="environment"/> adds or
    /// overrides variables (null removes one). ASPNETCORE_/DOTNET_ listen settings of the test run itself are not inherited.
    /// </summary>
    public AppServerProcess Start(IDictionary<string, string?> environment, params string[] args)
    {
        var workingDirectory = Path.Combine(Path.GetTempPath(), "appserver-tests", "run-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(workingDirectory);
        var variables = new Dictionary<string, string?>
        {
            ["ASPNETCORE_URLS"] = null, ["ASPNETCORE_HTTP_PORTS"] = null, ["ASPNETCORE_HTTPS_PORTS"] = null, ["DOTNET_URLS"] = null,
            ["ASPNETCORE_ENVIRONMENT"] = null, ["DOTNET_ENVIRONMENT"] = null, ["APPSERVER_DEFAULT_URLS"] = null,
            ["ConnectionStrings__AppServer"] = $"Data Source={Path.Combine(workingDirectory, "appserver.db")}",
            ["AppServer__ApiKeys__0"] = AppServerFactory.ApiKey,
            ["AppServer__PublicBaseUrl"] = "http://appserver.test",
            ["AppServer__Reconciliation__IntervalSeconds"] = "0",
        };
        foreach (var (key, value) in environment) variables[key] = value;
        return AppServerProcess.Start(DotnetHost(), [Dll, .. args], variables, workingDirectory);
    }

    public Task DisposeAsync()
    {
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { } // a process still holding a file: the temp folder is cleaned some other day
        return Task.CompletedTask;
    }

    /// <summary>The dotnet that runs the tests (under `dotnet test` the test host is dotnet itself).</summary>
    private static string DotnetHost() =>
        Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "AppServer.sln"))) return folder.FullName;
        throw new InvalidOperationException($"No AppServer.sln above {AppContext.BaseDirectory}");
    }
}

[CollectionDefinition(Name)]
public sealed class PublishedAppServerCollection : ICollectionFixture<PublishedAppServer>
{
    public const string Name = "Published AppServer";
}

/// <summary>A child process whose output is collected; disposing it kills the whole process tree if it still runs.</summary>
public sealed class AppServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly string? _workingDirectory;

    private AppServerProcess(Process process, string? workingDirectory)
    {
        _process = process;
        _workingDirectory = workingDirectory;
    }

    public static AppServerProcess Start(string fileName, IEnumerable<string> args, IDictionary<string, string?> environment,
        string workingDirectory)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (key, value) in environment)
            if (value is null) info.Environment.Remove(key);
            else info.Environment[key] = value;
        var process = new Process { StartInfo = info };
        var started = new AppServerProcess(process, workingDirectory.Contains("appserver-tests", StringComparison.Ordinal)
            ? workingDirectory : null);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) started._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) started._errors.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    public IReadOnlyList<string> OutputLines => _output.ToList();

    public IReadOnlyList<string> ErrorLines => _errors.ToList();

    public string Output => string.Join('\n', _output);

    public string Errors => string.Join('\n', _errors);

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code, or a test failure when the process is still running after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"Still running after {timeout}:\n{Output}\n{Errors}");
        }
        _process.WaitForExit(); // the output streams are read to their end
        return _process.ExitCode;
    }

    /// <summary>Waits until <paramref name="path"/> answers 200 on 127.0.0.1:<paramref name="port"/>.</summary>
    public async Task WaitUntilAnswersAsync(int port, string path, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited) throw new InvalidOperationException($"Exited ({_process.ExitCode}):\n{Output}\n{Errors}");
            try
            {
                using var answer = await http.GetAsync($"http://127.0.0.1:{port}{path}");
                if (answer.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { } // not listening yet
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"No 200 from {path} on port {port} in {timeout}:\n{Output}\n{Errors}");
            await Task.Delay(200);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (InvalidOperationException) { } // never started, or already gone
        _process.Dispose();
        if (_workingDirectory is null) return;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { Directory.Delete(_workingDirectory, recursive: true); }
        catch (IOException) { }
    }
}
