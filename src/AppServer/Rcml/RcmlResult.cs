using System.Reflection;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http.Metadata;

namespace AppServer.Rcml;

/// <summary>Writes an RCML document as <c>application/xml</c>.</summary>
public sealed class RcmlResult(XDocument document) : IResult, IEndpointMetadataProvider
{
    public const string ContentType = "application/xml; charset=utf-8";

    public XDocument Document { get; } = document;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = ContentType;
        return httpContext.Response.WriteAsync(Document.ToString(SaveOptions.DisableFormatting), httpContext.RequestAborted);
    }

    /// <summary>Tells OpenAPI these endpoints answer XML.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["application/xml"]));
}
