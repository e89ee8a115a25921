namespace AppServer.Rcml;

/// <summary>Fills a template with values. Values go in through an XmlWriter, so nothing in them can become markup.</summary>
public sealed class RcmlRenderer(RcmlTemplateStore store)
{
    /// <summary>The document as the UTF-8 bytes sent to the platform (cached per value set).</summary>
    public byte[] RenderUtf8(RcmlTemplate template, IReadOnlyDictionary<string, string?> values) =>
        store.Get(template).RenderUtf8(values);
}
