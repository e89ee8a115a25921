using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace AppServer.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server from the machine's own binaries (<c>initdb</c> and <c>pg_ctl</c> into a temp folder,
/// 127.0.0.1 on a free port, trust authentication). <see cref="Shared"/> is the one server of the whole test run, stopped
/// when the test process exits; each fixture takes a fresh database on it (<see cref="PostgresDatabase"/>). Tests that
/// restart a server start their own with <see cref="Start"/>.
/// <para>
/// No binaries: when the tests run as root on Debian/Ubuntu, <c>apt-get install postgresql</c> once (as the browser tests
/// do with Chromium); otherwise every PostgreSQL test fails saying how to install it. Never skipped. initdb and pg_ctl
/// refuse to run as root, so as root they run as the <c>postgres</c> user the package creates.
/// </para>
/// <para>
/// The shared server runs with <c>fsync=off</c>: a test never pulls the power, and the suite must stay quick on 2 cores.
/// The benchmark's server (bench/run.sh) keeps PostgreSQL's durable defaults.
/// </para>
/// </summary>
public sealed class PostgresServer : IDisposable
{
    public const string InstallCommand = "apt-get update && apt-get install -y postgresql";
    private const string Prefix = "appserver-tests-pg-";

    private static readonly Lazy<PostgresServer> SharedServer = new(() =>
    {
        var server = Start(durable: false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    });

    private static readonly Lock InstallGate = new();
    private static bool _installTried;

    private readonly string _bin;
    private readonly bool _asPostgresUser;
    private bool _stopped;

    private PostgresServer(string bin, string folder, int port, bool asPostgresUser)
    {
        _bin = bin;
        Folder = folder;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    /// <summary>The server every PostgreSQL test shares (started on first use).</summary>
    public static PostgresServer Shared => SharedServer.Value;

    public string Folder { get; }
    public string DataDirectory => Path.Combine(Folder, "data");
    public int Port { get; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=10;Command Timeout=30";

    /// <summary>initdb into a fresh temp folder, then start on a free loopback port and wait until it accepts connections.</summary>
    public static PostgresServer Start(bool durable = false)
    {
        var bin = FindBinaries() ?? InstallOnce() ?? throw new InvalidOperationException(
            "The PostgreSQL tests need the PostgreSQL server binaries (initdb, pg_ctl), and none were found in /usr/lib/postgresql/*/bin " +
            $"or on PATH. Install them with: {InstallCommand} (or set PG_BIN to the folder holding initdb and pg_ctl).");
        RemoveLeftovers();
        var asPostgresUser = Environment.UserName == "root";
        var folder = Path.Combine(Path.GetTempPath(), $"{Prefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        if (asPostgresUser) Run("chown", ["postgres:postgres", folder], asPostgresUser: false);
        var server = new PostgresServer(bin, folder, FreePort(), asPostgresUser);
        try
        {
            server.PgTool("initdb",
                ["-D", server.DataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
            var settings = $"-p {server.Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=400"
                           + (durable ? "" : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            server.PgTool("pg_ctl",
                ["-D", server.DataDirectory, "-l", Path.Combine(folder, "server.log"), "-o", settings, "-w", "-t", "60", "start"]);
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>A new, empty database on this server; its name.</summary>
    public string CreateDatabase()
    {
        var name = "appserver_" + Guid.NewGuid().ToString("N");
        Execute($"CREATE DATABASE \"{name}\"");
        return name;
    }

    /// <summary>Drops a database, closing whatever connections an app left open on it.</summary>
    public void DropDatabase(string name) => Execute($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");

    /// <summary>Stops the server (every connection breaks) and starts it again on the same port.</summary>
    public void Restart() =>
        PgTool("pg_ctl", ["-D", DataDirectory, "-l", Path.Combine(Folder, "server.log"), "-m", "fast", "-w", "-t", "60", "restart"]);

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(ConnectionString("postgres") + ";Pooling=false");
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    public void Dispose()
    {
        if (_stopped) return;
        _stopped = true;
        try
        {
            if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
                PgTool("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        for (var attempt = 0; attempt < 3 && Directory.Exists(Folder); attempt++)
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the server's last files may still be closing; a later run removes what is left (RemoveLeftovers)
                Thread.Sleep(100);
            }
        }
    }

    private void PgTool(string tool, IReadOnlyList<string> args) => Run(Path.Combine(_bin, tool), args, _asPostgresUser);

    private static void Run(string file, IReadOnlyList<string> args, bool asPostgresUser)
    {
        var start = asPostgresUser ? new ProcessStartInfo("runuser") : new ProcessStartInfo(file);
        if (asPostgresUser)
            foreach (var a in new[] { "-u", "postgres", "--", file }) start.ArgumentList.Add(a);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.Environment["LC_ALL"] = "C";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{Path.GetFileName(file)} {string.Join(' ', args)} did not finish in 90 s.");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{Path.GetFileName(file)} {string.Join(' ', args)} failed ({process.ExitCode}): "
                + (error.IsCompleted ? error.Result : ""));
    }

    /// <summary>PG_BIN, else the newest /usr/lib/postgresql/N/bin (Debian/Ubuntu), else pg_ctl on PATH.</summary>
    public static string? FindBinaries()
    {
        static bool Has(string folder) => File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));
        var configured = Environment.GetEnvironmentVariable("PG_BIN");
        if (!string.IsNullOrEmpty(configured)) return Has(configured) ? configured : null;
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            var newest = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Folder: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(d => Has(d.Folder)).OrderByDescending(d => d.Version).FirstOrDefault();
            if (newest.Folder is not null) return newest.Folder;
        }
        return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(Has);
    }

    /// <summary>
    /// As root on Debian/Ubuntu: install the distribution's server once, so `dotnet test` works with only the SDK present.
    /// </summary>
    private static string? InstallOnce()
    {
        lock (InstallGate)
        {
            if (FindBinaries() is { } found) return found;
            if (_installTried || !OperatingSystem.IsLinux() || Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
                return null;
            _installTried = true;
            foreach (var args in new[] { "update -qq", "install -y -qq postgresql" })
            {
                using var process = Process.Start(new ProcessStartInfo("/usr/bin/apt-get", args)
                {
                    RedirectStandardOutput = true, RedirectStandardError = true, Environment = { ["DEBIAN_FRONTEND"] = "noninteractive" },
                })!;
                var drainOut = process.StandardOutput.ReadToEndAsync();
                var drainErr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(TimeSpan.FromMinutes(10))) process.Kill(entireProcessTree: true);
                Task.WaitAll(drainOut, drainErr);
            }
            return FindBinaries();
        }
    }

    /// <summary>Servers of earlier test runs that died without stopping theirs (a killed test host): stopped and removed.</summary>
    private static void RemoveLeftovers()
    {
        foreach (var folder in Directory.GetDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var name = Path.GetFileName(folder)[Prefix.Length..];
            if (!int.TryParse(name.Split('-')[0], out var pid) || pid == Environment.ProcessId || IsRunning(pid)) continue;
            var bin = FindBinaries();
            var data = Path.Combine(folder, "data");
            try
            {
                if (bin is not null && File.Exists(Path.Combine(data, "postmaster.pid")))
                    Run(Path.Combine(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], Environment.UserName == "root");
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                // someone else's, or already going
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>A fresh database on the shared server, for one fixture (or several app instances sharing it); dropped on dispose.</summary>
public sealed class PostgresDatabase : IDisposable
{
    public PostgresDatabase(PostgresServer? server = null)
    {
        Server = server ?? PostgresServer.Shared;
        Name = Server.CreateDatabase();
    }

    public PostgresServer Server { get; }
    public string Name { get; }
    public string ConnectionString => Server.ConnectionString(Name);

    /// <summary>What an AppServer needs to use it.</summary>
    public IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("AppServer:Database:Provider", "PostgreSQL"),
        new("ConnectionStrings:AppServer", ConnectionString),
    ];

    public void Dispose() => Server.DropDatabase(Name);
}
