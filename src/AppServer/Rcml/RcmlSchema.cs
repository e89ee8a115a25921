using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace AppServer.Rcml;

/// <summary>rcml.xsd: the RCML subset of docs/platform.md §3, checked against every template and (in tests) every document.</summary>
public sealed class RcmlSchema
{
    private readonly XmlSchemaSet _schemas;

    private RcmlSchema(XmlSchemaSet schemas) => _schemas = schemas;

    /// <exception cref="RcmlTemplateException">The schema file is missing or not a valid XSD.</exception>
    public static RcmlSchema Load(string path)
    {
        var file = Path.GetFileName(path);
        try
        {
            var schemas = new XmlSchemaSet();
            using (var reader = XmlReader.Create(path))
                schemas.Add(null, reader);
            schemas.Compile();
            return new RcmlSchema(schemas);
        }
        catch (XmlSchemaException ex)
        {
            throw new RcmlTemplateException([new RcmlTemplateError(file, ex.LineNumber, ex.Message)]);
        }
        catch (XmlException ex)
        {
            throw new RcmlTemplateException([new RcmlTemplateError(file, ex.LineNumber, ex.Message)]);
        }
        catch (IOException ex)
        {
            throw new RcmlTemplateException([new RcmlTemplateError(file, 0, ex.Message)]);
        }
    }

    /// <summary>Every way the document breaks the schema, with the line of the offending node when it has one.</summary>
    public IReadOnlyList<(int Line, string Message)> Validate(XDocument document)
    {
        var errors = new List<(int, string)>();
        document.Validate(_schemas, (sender, e) => errors.Add((LineOf(sender as XObject), e.Message)));
        return errors;
    }

    // A rendered template's elements carry their template line as an annotation; an attribute or text reports its element's.
    private static int LineOf(XObject? node)
    {
        for (; node is not null; node = node.Parent)
        {
            if (node.Annotation<TemplateLine>() is { } line) return line.Number;
            if (node is IXmlLineInfo info && info.HasLineInfo()) return info.LineNumber;
        }
        return 0;
    }
}
