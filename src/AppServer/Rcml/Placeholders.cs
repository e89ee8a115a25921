using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using AppServer.Agents;

namespace AppServer.Rcml;

/// <summary>
/// The template language, kept to what leaves a template valid XML: <c>{{name}}</c> in attribute values and text,
/// and <c>&lt;Target&gt;address&lt;/Target&gt;</c> for the one noun whose element name depends on a value
/// (<c>client:x</c> → Client, <c>sip:…</c> → Sip, a number → Number). Values are set through XLinq, so the
/// writer escapes them; they never become markup.
/// </summary>
public static partial class Placeholders
{
    public const string TargetElement = "Target";

    [GeneratedRegex(@"\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex Pattern();

    public static IEnumerable<string> NamesIn(string text) => Pattern().Matches(text).Select(m => m.Groups[1].Value);

    /// <summary>"{{" or "}}" left over once every well-formed placeholder is taken out: a typo such as <c>{{room}</c>.</summary>
    public static bool HasMalformed(string text)
    {
        var rest = Pattern().Replace(text, "");
        return rest.Contains("{{", StringComparison.Ordinal) || rest.Contains("}}", StringComparison.Ordinal);
    }

    /// <summary>Fills every placeholder of <paramref name="document"/> in place and expands each &lt;Target&gt;.</summary>
    /// <exception cref="RcmlRenderException">A value the template uses was not given, or a Target is not an address.</exception>
    public static void Fill(XDocument document, RcmlTemplate template, IReadOnlyDictionary<string, string?> values)
    {
        string Fill(string text, IXmlLineInfo where) => Pattern().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            if (!values.TryGetValue(name, out var value))
                throw new RcmlRenderException(template, where, $"no value was given for {{{{{name}}}}}");
            return XmlSafeText.Clean(value ?? "");
        });

        foreach (var attribute in document.Descendants().Attributes().ToList())
        {
            if (!attribute.Value.Contains("{{", StringComparison.Ordinal)) continue;
            var filled = Fill(attribute.Value, attribute);
            // An empty attribute means nothing to the platform (and breaks typed ones such as callerId): leave it out.
            if (filled.Length == 0) attribute.Remove();
            else attribute.Value = filled;
        }
        foreach (var text in document.DescendantNodes().OfType<XText>().ToList())
            if (text.Value.Contains("{{", StringComparison.Ordinal)) text.Value = Fill(text.Value, text);

        foreach (var target in document.Descendants(TargetElement).ToList())
            target.ReplaceWith(Noun(template, target));
    }

    private static XElement Noun(RcmlTemplate template, XElement target)
    {
        if (target.HasElements)
            throw new RcmlRenderException(template, target, "<Target> holds only an address, not elements");
        if (!AgentAddress.TryParse(target.Value, out var address, out var error))
            throw new RcmlRenderException(template, target, $"<Target> needs an address: {error}");
        var name = address.Kind switch
        {
            AddressKind.Client => "Client",
            AddressKind.Sip => "Sip",
            _ => "Number",
        };
        // Attributes written on <Target> (statusCallback, url…) belong to the noun.
        return new XElement(name, target.Attributes(), address.Value);
    }
}

/// <summary>A template could not be filled: a bug in the caller or a template that start-up should have refused.</summary>
public sealed class RcmlRenderException(RcmlTemplate template, IXmlLineInfo where, string message)
    : Exception($"{template.FileName}{(where.HasLineInfo() ? $" line {where.LineNumber}" : "")}: {message}")
{
    public int Line { get; } = where.HasLineInfo() ? where.LineNumber : 0;
    public string Reason { get; } = message;
}
