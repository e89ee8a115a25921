using System.Collections.Concurrent;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace AppServer.Rcml;

/// <summary>
/// A template that passed every check, turned into the steps that write it (<see cref="TemplateNode"/>).
/// Serialized answers are cached per value set when every value comes from configuration (/CallToAlice, /fallback,
/// the empty answer to /status); documents with a per-call value (a caller id, a room) are written fresh each time,
/// since caching them would only churn memory. A reloaded template is a new instance, so its cache starts empty.
/// </summary>
public sealed class CompiledTemplate
{
    private const int MaxCachedDocuments = 1024;
    private const int MaxCachedKeyLength = 2048;

    private readonly TemplateElement _root;
    private readonly ConcurrentDictionary<string, byte[]> _serialized = new(StringComparer.Ordinal);
    private int _cachedCount; // ConcurrentDictionary.Count takes every lock of the table: too dear per request

    private CompiledTemplate(RcmlTemplate template, TemplateElement root)
    {
        Template = template;
        _root = root;
    }

    public RcmlTemplate Template { get; }

    /// <summary>
    /// The document as an XDocument, for the start-up checks, written by the same steps as <see cref="RenderUtf8"/>.
    /// Each element carries its template line as a <see cref="TemplateLine"/> annotation, for error messages.
    /// </summary>
    internal XDocument Render(IReadOnlyDictionary<string, string?> values)
    {
        var document = new XDocument();
        using (var writer = document.CreateWriter()) _root.Write(writer, Template, values);
        // The writer emits exactly one element per template element, in document order (Target becomes its noun).
        foreach (var (element, source) in document.Root!.DescendantsAndSelf().Zip(_root.SelfAndDescendants()))
            element.AddAnnotation(new TemplateLine(source.Line));
        return document;
    }

    /// <summary>
    /// The rendered document as UTF-8 bytes (no declaration, no indentation), from the cache when the same values were rendered before.
    /// </summary>
    public byte[] RenderUtf8(IReadOnlyDictionary<string, string?> values)
    {
        var key = CacheKey(values);
        if (key is not null && _serialized.TryGetValue(key, out var cached)) return cached;

        var bytes = Utf8XmlOutput.Write((this, values),
            static (writer, state) => state.Item1._root.Write(writer, state.Item1.Template, state.values));
        if (key is not null)
        {
            // Bounded even if configuration-only values turn out to be many (say, thousands of agents): start over.
            if (Interlocked.Increment(ref _cachedCount) > MaxCachedDocuments)
            {
                _serialized.Clear();
                Interlocked.Exchange(ref _cachedCount, 1);
            }
            _serialized.TryAdd(key, bytes);
        }
        return bytes;
    }

    /// <summary>The cache key of a value set, or null when the document must not be cached (a per-call value, or too long).</summary>
    private string? CacheKey(IReadOnlyDictionary<string, string?> values)
    {
        foreach (var placeholder in Template.Placeholders)
            if (placeholder.PerCall && values.TryGetValue(placeholder.Name, out var perCall) && !string.IsNullOrEmpty(perCall)) return null;

        var key = new StringBuilder();
        foreach (var placeholder in Template.Placeholders)
        {
            // A missing value must reach the writer, which refuses it; a null value renders as empty text.
            if (!values.TryGetValue(placeholder.Name, out var value)) return null;
            // Length-prefixed, so no pair of values can spell another pair's key.
            key.Append(value?.Length ?? 0).Append(':').Append(value);
            if (key.Length > MaxCachedKeyLength) return null;
        }
        return key.ToString();
    }

    /// <summary>
    /// Checks one template's text: well-formed, only known placeholders, the required ones present, and valid RCML
    /// (rcml.xsd) once each sample value set is filled in. Returns the compiled template or every problem found.
    /// </summary>
    public static (CompiledTemplate? Compiled, IReadOnlyList<RcmlTemplateError> Errors) Compile(RcmlTemplate template, string text,
        RcmlSchema schema)
    {
        var errors = new List<RcmlTemplateError>();
        void Error(int line, string message) => errors.Add(new RcmlTemplateError(template.FileName, line, message));

        XDocument document;
        try
        {
            // Comments and processing instructions stay in the parse: the steps skip them (notes for operators).
            document = XDocument.Parse(text, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            Error(ex.LineNumber, "not well-formed XML: " + ex.Message);
            return (null, errors);
        }

        foreach (var element in document.Descendants())
            if (element.Name.Namespace != XNamespace.None
                || element.Attributes().Any(a => !a.IsNamespaceDeclaration && a.Name.Namespace != XNamespace.None))
                Error(((IXmlLineInfo)element).LineNumber, $"<{element.Name.LocalName}> uses an XML namespace; RCML has none");
        if (errors.Count > 0) return (null, errors);

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

        // Writing can itself fail (a <Target> that is not an address); each sample set also proves the schema holds.
        var compiled = new CompiledTemplate(template, TemplateNode.From(document));
        var seen = new HashSet<string>();
        foreach (var samples in template.SampleValueSets())
        {
            XDocument filled;
            try
            {
                filled = compiled.Render(samples);
            }
            catch (RcmlRenderException ex)
            {
                if (seen.Add(ex.Message)) Error(ex.Line, ex.Reason);
                continue;
            }
            foreach (var (line, message) in schema.Validate(filled))
                if (seen.Add($"{line}:{message}")) Error(line, "not valid RCML: " + message);
        }
        return errors.Count > 0 ? (null, errors) : (compiled, errors);
    }

    private static IEnumerable<(string Value, XObject Where)> ValuesWithPlaceholders(XDocument document)
    {
        foreach (var attribute in document.Descendants().Attributes()) yield return (attribute.Value, attribute);
        foreach (var text in document.DescendantNodes().OfType<XText>()) yield return (text.Value, text);
    }

    private static string Known(RcmlTemplate template) =>
        template.Placeholders.Count == 0 ? "none" : string.Join(", ", template.Placeholders.Select(p => "{{" + p.Name + "}}"));
}

/// <summary>The template line an element of a rendered document was written from (schema errors name it).</summary>
public sealed record TemplateLine(int Number);
