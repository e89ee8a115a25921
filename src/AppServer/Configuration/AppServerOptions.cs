using System.ComponentModel.DataAnnotations;
using System.Net;

namespace AppServer.Configuration;

/// <summary>The <c>AppServer</c> configuration section.</summary>
public sealed class AppServerOptions : IValidatableObject
{
    public const string Section = "AppServer";

    /// <summary>How CallAPI reaches this server; every URL placed in RCML or sent as <c>Url=</c> starts with it.</summary>
    [Required(ErrorMessage = "AppServer:PublicBaseUrl is required.")]
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>
    /// Shared keys accepted in the agent API's <c>X-Api-Key</c> header; whoever uses one is "unnamed" in what they do.
    /// </summary>
    public string[] ApiKeys { get; set; } = [];

    /// <summary>
    /// Each agent's own key, by agent name, stored hashed: <c>sha256:</c> and the SHA-256 of the key in hex
    /// (<c>printf %s "$KEY" | sha256sum</c>). Every action taken with it records the agent's name.
    /// </summary>
    public Dictionary<string, string> AgentKeys { get; set; } = new(StringComparer.Ordinal);

    public WebhookOptions Webhooks { get; set; } = new();

    /// <summary>Proxies whose X-Forwarded-For is believed (IP addresses or CIDR networks).</summary>
    public string[] TrustedProxies { get; set; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!Uri.TryCreate(PublicBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            yield return new ValidationResult($"AppServer:PublicBaseUrl must be an absolute http(s) URL, got '{PublicBaseUrl}'.",
                [nameof(PublicBaseUrl)]);
        if (ApiKeys.Length == 0 && AgentKeys.Count == 0 || ApiKeys.Any(string.IsNullOrWhiteSpace))
            yield return new ValidationResult(
                "AppServer:ApiKeys must list at least one non-empty agent API key (or AppServer:AgentKeys name one per agent).",
                [nameof(ApiKeys)]);
        foreach (var (agent, hash) in AgentKeys)
            if (agent == Security.CurrentAgent.Unnamed)
                yield return new ValidationResult(
                    $"AppServer:AgentKeys:{agent}: '{agent}' stands for the shared keys; give the agent another name.",
                    [nameof(AgentKeys)]);
            else if (!AgentKeyHash.IsValid(hash))
                yield return new ValidationResult(
                    $"AppServer:AgentKeys:{agent} must be 'sha256:' and 64 hex digits (printf %s \"$KEY\" | sha256sum), "
                    + "not the key itself.", [nameof(AgentKeys)]);
        for (var i = 0; i < Webhooks.AllowedNetworks.Length; i++)
            if (!NetworkList.TryParse(Webhooks.AllowedNetworks[i], out _))
                yield return new ValidationResult(
                    $"AppServer:Webhooks:AllowedNetworks:{i} is not a CIDR network or IP address: '{Webhooks.AllowedNetworks[i]}'.",
                        [nameof(Webhooks)]);
        for (var i = 0; i < TrustedProxies.Length; i++)
            if (!NetworkList.TryParse(TrustedProxies[i], out _))
                yield return new ValidationResult(
                    $"AppServer:TrustedProxies:{i} is not a CIDR network or IP address: '{TrustedProxies[i]}'.", [nameof(TrustedProxies)]);
    }

    /// <summary>The public base URL without a trailing slash, ready for "/path" to be appended.</summary>
    public string BaseUrl => PublicBaseUrl.TrimEnd('/');
}

public sealed class WebhookOptions
{
    /// <summary>When set, webhooks must carry it as <c>token=</c> (query or form) or as the HTTP Basic password.</summary>
    public string Token { get; set; } = "";

    /// <summary>Optional CIDR allowlist for webhook callers.</summary>
    public string[] AllowedNetworks { get; set; } = [];

    private IPNetwork[]? _allowedNetworks;

    /// <summary>
    /// <see cref="AllowedNetworks"/> parsed once per options instance (a reloaded configuration binds a new one),
    /// not on every webhook. Only called after validation, so every entry parses; a method, so the configuration binder never evaluates it.
    /// </summary>
    public IReadOnlyList<IPNetwork> ParsedAllowedNetworks() => _allowedNetworks ??= NetworkList.Parse(AllowedNetworks);

    /// <summary>Optional: validate <c>X-Twilio-Signature</c> with this key (Twilio-compatible platforms only).</summary>
    public string TwilioSignatureKey { get; set; } = "";
}

/// <summary>Parses "10.0.0.0/8" or a single address into an <see cref="IPNetwork"/>.</summary>
public static class NetworkList
{
    public static bool TryParse(string? text, out IPNetwork network)
    {
        network = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        text = text.Trim();
        if (IPNetwork.TryParse(text, out network)) return true;
        if (!IPAddress.TryParse(text, out var address)) return false;
        network = new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        return true;
    }

    public static IPNetwork[] Parse(IEnumerable<string> texts) =>
        texts.Select(t => TryParse(t, out var n) ? n : throw new FormatException($"Not a network: {t}")).ToArray();

    public static bool Contains(IReadOnlyList<IPNetwork> networks, IPAddress? address)
    {
        if (address is null) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        foreach (var network in networks)
            if (network.Contains(address)) return true;
        return false;
    }
}
