using System.Text.RegularExpressions;
using System.Xml;

namespace AppServer.Rcml;

/// <summary>
/// The template language, kept to what leaves a template valid XML: <c>{{name}}</c> in attribute values and text,
/// and <c>&lt;Target&gt;address&lt;/Target&gt;</c> for the one noun whose element name depends on a value
/// (<c>client:x</c> → Client, <c>sip:…</c> → Sip, a number → Number). Values are written through an XmlWriter
/// (<see cref="TemplateNode"/>), which escapes them; they never become markup.
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

    /// <summary>
    /// <paramref name="text"/> as alternating parts: literal text at even indexes, placeholder names at odd ones
    /// ("a{{x}}b" → ["a", "x", "b"]; text without placeholders → [text]).
    /// </summary>
    public static string[] Split(string text) => Pattern().Split(text);
}

/// <summary>A template could not be filled: a bug in the caller or a template that start-up should have refused.</summary>
public sealed class RcmlRenderException(RcmlTemplate template, IXmlLineInfo where, string message)
    : Exception($"{template.FileName}{(where.HasLineInfo() ? $" line {where.LineNumber}" : "")}: {message}")
{
    public int Line { get; } = where.HasLineInfo() ? where.LineNumber : 0;
    public string Reason { get; } = message;
}
