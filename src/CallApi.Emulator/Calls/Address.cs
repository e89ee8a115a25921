namespace CallApi.Emulator.Calls;

public enum AddressKind { Client, Sip, Number }

/// <summary>Parses call targets the way docs/platform.md §4 describes: "@" means SIP, "client:" a client, anything else a number.</summary>
public static class Address
{
    public static AddressKind KindOf(string to) =>
        to.Contains('@') ? AddressKind.Sip
        : to.StartsWith("client:", StringComparison.OrdinalIgnoreCase) ? AddressKind.Client
        : AddressKind.Number;

    /// <summary>Strips "?X-Header=value" custom SIP headers from a create-call To.</summary>
    public static string WithoutHeaders(string to)
    {
        var q = to.IndexOf('?');
        return q < 0 ? to : to[..q];
    }

    /// <summary>The client name of "client:bob" (or a bare "bob").</summary>
    public static string ClientName(string address) =>
        address.StartsWith("client:", StringComparison.OrdinalIgnoreCase) ? address["client:".Length..] : address;

    /// <summary>
    /// One spelling per party, used as the scenario-rule key: "client:bob", "sip:carol@example.com", "+1555…".
    /// A bare word with letters is a client, because Restcomm sends client callers without the prefix.
    /// </summary>
    public static string Canonical(string address)
    {
        var a = WithoutHeaders(address.Trim());
        if (a.StartsWith("client:", StringComparison.OrdinalIgnoreCase))
        {
            return "client:" + a["client:".Length..];
        }
        if (a.Contains('@'))
        {
            return a.StartsWith("sip:", StringComparison.OrdinalIgnoreCase) ? "sip:" + a[4..] : "sip:" + a;
        }
        return a.Any(char.IsLetter) ? "client:" + a : a;
    }

    /// <summary>What Restcomm puts in From/To webhook parameters: client names without the "client:" prefix.</summary>
    public static string ForWebhook(string address) => ClientName(address);
}
