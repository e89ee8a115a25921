using System.Xml.Linq;

namespace AppServer.Rcml;

/// <summary>Fills a template with values. Values go in through XLinq, so nothing in them can become markup.</summary>
public sealed class RcmlRenderer(RcmlTemplateStore store)
{
    public XDocument Render(RcmlTemplate template, IReadOnlyDictionary<string, string?> values) =>
        store.Get(template).Render(values);

}
