using System.Xml;
using System.Xml.Linq;
using AppServer.Agents;

namespace AppServer.Rcml;

/// <summary>
/// A template turned, once, into the steps that write it: elements, attributes and text whose placeholders are
/// already split out. Rendering walks these steps with an <see cref="XmlWriter"/>, which escapes every value, instead
/// of cloning the template's XDocument and running a regex over each node per response (what a render used to cost
/// most). The same steps write into an XDocument for the start-up checks, so what is checked is what is sent.
/// </summary>
internal abstract class TemplateNode
{
    public abstract void Write(XmlWriter writer, RcmlTemplate template, IReadOnlyDictionary<string, string?> values);

    /// <summary>The steps of <paramref name="document"/> (parsed with line info, comments removed).</summary>
    public static TemplateElement From(XDocument document) =>
        TemplateElement.From(document.Root ?? throw new InvalidOperationException("A template needs a root element."));
}

/// <summary>
/// Text (or CDATA) with placeholders; an empty result still closes its element as <c>&lt;x&gt;&lt;/x&gt;</c>, like XLinq did.
/// </summary>
internal sealed class TemplateText(TemplateValue value, bool isCData) : TemplateNode
{
    public TemplateValue Value { get; } = value;

    public override void Write(XmlWriter writer, RcmlTemplate template, IReadOnlyDictionary<string, string?> values)
    {
        var text = Value.Fill(template, values);
        if (isCData) writer.WriteCData(text);
        else writer.WriteString(text);
    }
}

internal sealed record TemplateAttribute(XName Name, TemplateValue Value);

/// <summary>
/// An element. <c>&lt;Target&gt;</c> is written as the noun its filled address asks for (Client, Sip or Number),
/// carrying Target's attributes; see <see cref="Placeholders"/>.
/// </summary>
internal sealed class TemplateElement : TemplateNode
{
    private readonly XName _name;
    private readonly TemplateAttribute[] _attributes;
    private readonly TemplateNode[] _children;
    private readonly IXmlLineInfo _where;
    private readonly bool _isTarget;
    private readonly bool _targetHoldsElements;
    private readonly TemplateText[] _targetText;

    // CompiledTemplate.Compile has already refused namespaced names, so local names are the whole names here.
    private TemplateElement(XElement source)
    {
        _name = source.Name;
        _where = new LineInfo(source);
        _attributes = source.Attributes().Where(a => !a.IsNamespaceDeclaration)
            .Select(a => new TemplateAttribute(a.Name, TemplateValue.Parse(a.Value, new LineInfo(a)))).ToArray();
        _children = source.Nodes().Select(Child).OfType<TemplateNode>().ToArray();
        _isTarget = source.Name == Placeholders.TargetElement;
        _targetHoldsElements = _isTarget && _children.Any(c => c is TemplateElement);
        _targetText = _isTarget ? _children.OfType<TemplateText>().ToArray() : [];
    }

    public int Line => _where.LineNumber;

    public static TemplateElement From(XElement element) => new(element);

    private static TemplateNode? Child(XNode node) => node switch
    {
        XElement element => new TemplateElement(element),
        XCData cdata => new TemplateText(TemplateValue.Parse(cdata.Value, new LineInfo(cdata)), isCData: true),
        XText text => new TemplateText(TemplateValue.Parse(text.Value, new LineInfo(text)), isCData: false),
        _ => null, // comments and processing instructions are notes for operators
    };

    /// <summary>This element and its descendants in document order: the order the writer emits them.</summary>
    public IEnumerable<TemplateElement> SelfAndDescendants()
    {
        yield return this;
        foreach (var child in _children.OfType<TemplateElement>())
            foreach (var element in child.SelfAndDescendants())
                yield return element;
    }

    public override void Write(XmlWriter writer, RcmlTemplate template, IReadOnlyDictionary<string, string?> values)
    {
        if (!_isTarget)
        {
            writer.WriteStartElement(_name.LocalName);
            WriteAttributes(writer, template, values);
            foreach (var child in _children) child.Write(writer, template, values);
            writer.WriteEndElement();
            return;
        }

        if (_targetHoldsElements)
            throw new RcmlRenderException(template, _where, "<Target> holds only an address, not elements");
        var text = _targetText.Length == 1
            ? _targetText[0].Value.Fill(template, values)
            : string.Concat(_targetText.Select(t => t.Value.Fill(template, values))); // text split by CDATA: rare
        if (!AgentAddress.TryParse(text, out var address, out var error))
            throw new RcmlRenderException(template, _where, $"<Target> needs an address: {error}");
        writer.WriteStartElement(address.Kind switch
        {
            AddressKind.Client => "Client",
            AddressKind.Sip => "Sip",
            _ => "Number",
        });
        // Attributes written on <Target> (statusCallback, url…) belong to the noun.
        WriteAttributes(writer, template, values);
        writer.WriteString(address.Value);
        writer.WriteEndElement();
    }

    private void WriteAttributes(XmlWriter writer, RcmlTemplate template, IReadOnlyDictionary<string, string?> values)
    {
        foreach (var attribute in _attributes)
        {
            var value = attribute.Value.Fill(template, values);
            // An empty attribute made from placeholders means nothing to the platform (and breaks typed ones such as
            // callerId): leave it out. One written empty in the template stays.
            if (value.Length == 0 && attribute.Value.HasPlaceholders) continue;
            writer.WriteAttributeString(attribute.Name.LocalName, value);
        }
    }

    /// <summary>A copy of a node's line, so the steps do not keep the parsed template alive.</summary>
    private sealed class LineInfo(IXmlLineInfo source) : IXmlLineInfo
    {
        public int LineNumber { get; } = source.HasLineInfo() ? source.LineNumber : 0;
        public int LinePosition { get; } = source.HasLineInfo() ? source.LinePosition : 0;
        public bool HasLineInfo() => LineNumber > 0;
    }
}

/// <summary>An attribute value or text split into literal parts and placeholder names, once, at compile time.</summary>
internal sealed class TemplateValue
{
    private readonly string[] _parts; // even index: literal text; odd index: a placeholder name
    private readonly IXmlLineInfo _where;

    private TemplateValue(string[] parts, IXmlLineInfo where)
    {
        _parts = parts;
        _where = where;
    }

    public bool HasPlaceholders => _parts.Length > 1;

    public static TemplateValue Parse(string text, IXmlLineInfo where) => new(Placeholders.Split(text), where);

    /// <summary>The text with each placeholder replaced by its value, cleaned of characters XML cannot carry.</summary>
    public string Fill(RcmlTemplate template, IReadOnlyDictionary<string, string?> values)
    {
        if (_parts.Length == 1) return _parts[0];
        if (_parts.Length == 3 && _parts[0].Length == 0 && _parts[2].Length == 0) return Value(template, values, _parts[1]);
        var filled = new string[_parts.Length];
        for (var i = 0; i < _parts.Length; i++) filled[i] = i % 2 == 0 ? _parts[i] : Value(template, values, _parts[i]);
        return string.Concat(filled);
    }

    private string Value(RcmlTemplate template, IReadOnlyDictionary<string, string?> values, string name) =>
        values.TryGetValue(name, out var value)
            ? XmlSafeText.Clean(value ?? "")
            : throw new RcmlRenderException(template, _where, $"no value was given for {{{{{name}}}}}");
}
