using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace AppServer.Agents;

public enum AddressKind { Client, Sip, Number }

/// <summary>
/// Where a call can be sent: a registered client (<c>client:alice</c>), a SIP URI or a phone number.
/// The same rules as the platform's <c>To</c> parameter (docs/platform.md §4.5).
/// </summary>
public sealed partial record AgentAddress(AddressKind Kind, string Value)
{
    /// <summary>The form CallAPI's Calls resource takes in <c>To</c>.</summary>
    public string ToCallApiTo() => Kind switch
    {
        AddressKind.Client => "client:" + Value,
        _ => Value,
    };

    public override string ToString() => ToCallApiTo();

    public static bool TryParse(string? text, [NotNullWhen(true)] out AgentAddress? address, [NotNullWhen(false)] out string? error)
    {
        address = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text)) { error = "is empty"; return false; }
        if (text.Length > 256) { error = "is longer than 256 characters"; return false; }
        if (text.StartsWith("client:", StringComparison.OrdinalIgnoreCase))
        {
            var name = text["client:".Length..];
            if (!ClientName().IsMatch(name))
            {
                error = $"'{text}' is not a valid client name (letters, digits, '.', '_', '-')";
                return false;
            }
            address = new AgentAddress(AddressKind.Client, name);
        }
        else if (text.StartsWith("sip:", StringComparison.OrdinalIgnoreCase)
                 || text.StartsWith("sips:", StringComparison.OrdinalIgnoreCase))
        {
            if (!SipUri().IsMatch(text)) { error = $"'{text}' is not a valid SIP URI (sip:user@host)"; return false; }
            address = new AgentAddress(AddressKind.Sip, text);
        }
        else if (PhoneNumber().IsMatch(text))
        {
            address = new AgentAddress(AddressKind.Number, text);
        }
        else { error = $"'{text}' is neither client:name, sip:user@host nor a phone number"; return false; }
        error = null;
        return true;
    }

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex ClientName();

    [GeneratedRegex(@"^sips?:[^@\s<>""]+@[A-Za-z0-9.\-\[\]:]+(;[^\s<>""]*)?$", RegexOptions.IgnoreCase)]
    private static partial Regex SipUri();

    // E.164 (+ and up to 15 digits) or a short/extension number such as 1111.
    [GeneratedRegex(@"^\+?[0-9]{2,15}$")]
    private static partial Regex PhoneNumber();
}
