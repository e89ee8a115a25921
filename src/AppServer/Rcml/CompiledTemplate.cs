using System.Collections.Concurrent;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace AppServer.Rcml;

/// <summary>
/// A template that passed every check, parsed once and cloned for each render. Serialized answers are cached per
/// value set: most documents depend only on configuration (/CallToAlice, /fallback, a room), and serializing is
/// what a render costs most. A reloaded template is a new instance, so its cache starts empty.
/// </summary>
public sealed class CompiledTemplate
{
    private const int MaxCachedDocuments = 1024;
    private const int MaxCachedKeyLength = 2048;

    private static readonly XmlWriterSettings WriterSettings = new()
    {
        OmitXmlDeclaration = true,
        Indent = false,
        Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false),
    };

    private readonly XDocument _document;
    private readonly ConcurrentDictionary<string, byte[]> _serialized = new(StringComparer.Ordinal);

    private CompiledTemplate(RcmlTemplate template, XDocument document)
    {
        Template = template;
        _document = document;
    }

    public RcmlTemplate Template { get; }

    public XDocument Render(IReadOnlyDictionary<string, string?> values)
    {
        var document = new XDocument(_document);
        Placeholders.Fill(document, Template, values);
        return document;
    }

    /// <summary>The rendered document as UTF-8 bytes (no declaration, no indentation), from the cache when the same values were rendered before.</summary>
    public byte[] RenderUtf8(IReadOnlyDictionary<string, string?> values)
    {
        var key = CacheKey(values);
        if (key is not null && _serialized.TryGetValue(key, out var cached)) return cached;

        using var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, WriterSettings)) Render(values).Save(writer);
        var bytes = buffer.ToArray();
        if (key is not null)
        {
            // Caller-specific values (caller ids) would grow the cache without bound: start over when it is full.
            if (_serialized.Count >= MaxCachedDocuments) _serialized.Clear();
            _serialized.TryAdd(key, bytes);
        }
        return bytes;
    }

    private string? CacheKey(IReadOnlyDictionary<string, string?> values)
    {
        var key = new StringBuilder();
        foreach (var placeholder in Template.Placeholders)
        {
            values.TryGetValue(placeholder.Name, out var value);
            // Length-prefixed, so no pair of values can spell another pair's key (-1 marks a missing value).
            key.Append(value?.Length ?? -1).Append(':').Append(value);
            if (key.Length > MaxCachedKeyLength) return null;
        }
        return key.ToString();
    }

    /// <summary>
    /// Checks one template's text: well-formed, only known placeholders, the required ones present, and valid RCML
    /// (rcml.xsd) once each sample value set is filled in. Returns the compiled template or every problem found.
    /// </summary>
    public static (CompiledTemplate? Compiled, IReadOnlyList<RcmlTemplateError> Errors) Compile(RcmlTemplate template, string text, RcmlSchema schema)
    {
        var errors = new List<RcmlTemplateError>();
        void Error(int line, string message) => errors.Add(new RcmlTemplateError(template.FileName, line, message));

        XDocument document;
        try
        {
            document = Parse(text, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            Error(ex.LineNumber, "not well-formed XML: " + ex.Message);
            return (null, errors);
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (value, where) in ValuesWithPlaceholders(document))
        {
            var line = ((IXmlLineInfo)where).LineNumber;
            if (Placeholders.HasMalformed(value)) Error(line, $"malformed placeholder in '{value}': write {{{{name}}}}");
            foreach (var name in Placeholders.NamesIn(value))
            {
                used.Add(name);
                if (template.Find(name) is null)
                    Error(line, $"unknown placeholder {{{{{name}}}}}; this template takes: {Known(template)}");
            }
        }
        foreach (var required in template.Required.Where(r => !used.Contains(r)))
            Error(0, $"missing placeholder {{{{{required}}}}}: this document cannot do its job without it");
        if (errors.Count > 0) return (null, errors);

        // Filling can itself fail (a <Target> that is not an address); each sample set also proves the schema holds.
        var seen = new HashSet<string>();
        foreach (var samples in template.SampleValueSets())
        {
            var filled = Parse(text, LoadOptions.SetLineInfo);
            try
            {
                Placeholders.Fill(filled, template, samples);
            }
            catch (RcmlRenderException ex)
            {
                if (seen.Add(ex.Message)) Error(ex.Line, ex.Reason);
                continue;
            }
            foreach (var (line, message) in schema.Validate(filled))
                if (seen.Add($"{line}:{message}")) Error(line, "not valid RCML: " + message);
        }
        return errors.Count > 0 ? (null, errors) : (new CompiledTemplate(template, Parse(text, LoadOptions.None)), errors);
    }

    /// <summary>Parses without comments or processing instructions: they are notes for operators, not for the platform.</summary>
    private static XDocument Parse(string text, LoadOptions options)
    {
        var document = XDocument.Parse(text, options);
        document.DescendantNodes().Where(n => n is XComment or XProcessingInstruction).ToList().ForEach(n => n.Remove());
        document.Declaration = null;
        return document;
    }

    private static IEnumerable<(string Value, XObject Where)> ValuesWithPlaceholders(XDocument document)
    {
        foreach (var attribute in document.Descendants().Attributes()) yield return (attribute.Value, attribute);
        foreach (var text in document.DescendantNodes().OfType<XText>()) yield return (text.Value, text);
    }

    private static string Known(RcmlTemplate template) =>
        template.Placeholders.Count == 0 ? "none" : string.Join(", ", template.Placeholders.Select(p => "{{" + p.Name + "}}"));
}
