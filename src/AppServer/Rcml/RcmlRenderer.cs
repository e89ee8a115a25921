using System.Xml.Linq;

namespace AppServer.Rcml;

/// <summary>Fills a template with values. Values go in through XLinq, so nothing in them can become markup.</summary>
public sealed class RcmlRenderer(RcmlTemplateStore store)
{
    public XDocument Render(RcmlTemplate template, IReadOnlyDictionary<string, string?> values) =>
        store.Get(template).Render(values);

    /// <summary>The document as the UTF-8 bytes sent to the platform (cached per value set).</summary>
    public byte[] RenderUtf8(RcmlTemplate template, IReadOnlyDictionary<string, string?> values) =>
        store.Get(template).RenderUtf8(values);

}
