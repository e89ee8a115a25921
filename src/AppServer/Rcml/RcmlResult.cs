using System.Xml.Linq;

namespace AppServer.Rcml;

/// <summary>Writes an RCML document as <c>application/xml</c>.</summary>
public sealed class RcmlResult(XDocument document) : IResult
{
    public const string ContentType = "application/xml; charset=utf-8";

    public XDocument Document { get; } = document;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = ContentType;
        return httpContext.Response.WriteAsync(Document.ToString(SaveOptions.DisableFormatting), httpContext.RequestAborted);
    }
}
