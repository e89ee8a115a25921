using CallApi.Emulator.Scenario;

namespace CallApi.Emulator;

/// <summary>
/// Configuration section "Emulator" of callapi-emulator.json (override with Emulator__Key env vars or --Emulator:Key=value).
/// </summary>
public sealed class EmulatorOptions
{
    public const string Section = "Emulator";

    /// <summary>Where Kestrel listens. Loopback only: the emulator is a development tool and has no real security.</summary>
    public string Urls { get; set; } = "http://127.0.0.1:5090";

    public string AccountSid { get; set; } = "ACae6e420f425248d6a26948c17a9e2acf";
    public string AuthToken { get; set; } = "emulator-token";

    /// <summary>Sent as InstanceId in every request to the application, like Restcomm does.</summary>
    public string InstanceId { get; set; } = "emulator-1";

    /// <summary>Client names that count as registered; calls to other clients fail like on the real platform.</summary>
    public List<string> RegisteredClients { get; set; } = [];

    /// <summary>DID (or "*" for any) → the application webhook an incoming call to it fetches.</summary>
    public Dictionary<string, NumberRoute> Numbers { get; set; } = [];

    public ScenarioOptions Scenario { get; set; } = new();

    /// <summary>Verbs executed from one RCML document at most; the rest are ignored.</summary>
    public int MaxVerbsPerDocument { get; set; } = 100;

    /// <summary>Redirects and action follow-ups one call may take before the emulator hangs it up.</summary>
    public int MaxRedirects { get; set; } = 10;

    /// <summary>Timeout of every HTTP request the emulator makes (RCML fetches and callbacks).</summary>
    public int HttpTimeoutSeconds { get; set; } = 15;
}

/// <summary>Application webhook for incoming calls to one DID.</summary>
public sealed class NumberRoute
{
    public string Url { get; set; } = "http://localhost:5080/incoming";
    public string Method { get; set; } = "POST";
    public string? FallbackUrl { get; set; }
    public string FallbackMethod { get; set; } = "POST";
    public string? StatusCallback { get; set; }
    public string StatusCallbackMethod { get; set; } = "POST";
}
