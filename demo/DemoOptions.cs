using System.Globalization;
using System.Reflection;

namespace Demo;

/// <summary>
/// What the demo runs: the ports (AppServer's usual 5080 and the emulator's 5090 unless told), how often a call comes
/// and how many stay up. <c>dotnet run --project demo -- --appserver-port 6080 --interval 3</c>.
/// </summary>
public sealed record DemoOptions(int AppServerPort, int EmulatorPort, TimeSpan Interval, int MaxLiveCalls, string RepositoryRoot,
    string Configuration)
{
    public Uri AppServer => new($"http://localhost:{AppServerPort}/");

    public Uri Emulator => new($"http://127.0.0.1:{EmulatorPort}/");

    public string AppServerDll => Built("src/AppServer", "AppServer.dll");

    public string EmulatorDll => Built("src/CallApi.Emulator", "CallApi.Emulator.dll");

    private string Built(string project, string dll) =>
        Path.Combine(RepositoryRoot, project, "bin", Configuration, "net10.0", dll);

    public static DemoOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            values[args[i][2..]] = args[i + 1];
        }
        if (args.Length % 2 == 1) throw new ArgumentException($"'{args[^1]}' needs a value.");
        var metadata = typeof(DemoOptions).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .ToDictionary(a => a.Key, a => a.Value ?? "");
        return new DemoOptions(
            Number(values, "appserver-port", 5080),
            Number(values, "emulator-port", 5090),
            TimeSpan.FromSeconds(Number(values, "interval", 5)),
            Number(values, "max-live-calls", 4),
            metadata["RepositoryRoot"],
            metadata["Configuration"]);
    }

    private static int Number(Dictionary<string, string> values, string name, int fallback) =>
        !values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n
        : throw new ArgumentException($"--{name} must be a positive whole number, got '{text}'.");
}
