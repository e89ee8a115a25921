using System.Net;

namespace AppServer.Hosting;

/// <summary>
/// Whether a URL names this machine, and whether one of the addresses Kestrel reports (IServerAddressesFeature, e.g.
/// <c>http://127.0.0.1:5080</c>, <c>http://[::]:8080</c>) would answer it.
/// </summary>
public static class ListenAddresses
{
    /// <summary>localhost, a loopback address, or this machine's own name: a URL the platform could only use from here.</summary>
    public static bool IsThisMachine(Uri url) =>
        url.IsLoopback
        || string.Equals(url.IdnHost, Environment.MachineName, StringComparison.OrdinalIgnoreCase)
        || url.IdnHost.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when a listener with the URL's scheme and port accepts connections to its host.</summary>
    public static bool AnyAnswers(Uri url, IEnumerable<string> listening) =>
        listening.Any(address => Answers(address, url));

    private static bool Answers(string address, Uri url)
    {
        // Kestrel reports wildcards as written: http://*:80, http://+:80, http://[::]:80, http://0.0.0.0:80.
        var normalized = address.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal)
            .Replace("://+", "://wildcard.invalid", StringComparison.Ordinal);
        if (!Uri.TryCreate(normalized, UriKind.Absolute, out var listener)) return false;
        if (!string.Equals(listener.Scheme, url.Scheme, StringComparison.OrdinalIgnoreCase) || listener.Port != url.Port) return false;
        if (IsWildcard(listener)) return true;
        if (string.Equals(listener.IdnHost, url.IdnHost, StringComparison.OrdinalIgnoreCase)) return true;
        // localhost resolves to 127.0.0.1 and ::1: a listener on either (or on localhost) answers a loopback URL.
        return listener.IsLoopback && url.IsLoopback;
    }

    private static bool IsWildcard(Uri listener) =>
        listener.Host == "wildcard.invalid"
        || (IPAddress.TryParse(listener.IdnHost, out var ip) && (ip.Equals(IPAddress.Any) || ip.Equals(IPAddress.IPv6Any)));
}
