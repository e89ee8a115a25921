using System.Text;
using System.Xml;

namespace AppServer.Rcml;

/// <summary>
/// XML 1.0 cannot carry most control characters (U+0000–U+001F except tab, LF, CR), lone surrogates, U+FFFE/U+FFFF,
/// not even escaped: the writer would throw mid-response. Values are cleaned before they reach the document.
/// </summary>
public static class XmlSafeText
{
    public static string Clean(string value)
    {
        if (IsClean(value)) return value;
        var clean = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                clean.Append(c).Append(value[++i]);
            }
            else if (XmlConvert.IsXmlChar(c))
            {
                clean.Append(c);
            }
            // Anything else is dropped: it has no meaning a caller could hear or the platform could dial.
        }
        return clean.ToString();
    }

    private static bool IsClean(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (XmlConvert.IsXmlChar(c)) continue;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])) { i++; continue; }
            return false;
        }
        return true;
    }
}
