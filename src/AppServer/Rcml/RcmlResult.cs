using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace AppServer.Rcml;

/// <summary>Writes an already serialized RCML document (UTF-8) as <c>application/xml</c>.</summary>
public sealed class RcmlResult(byte[] utf8) : IResult, IEndpointMetadataProvider
{
    public const string ContentType = "application/xml; charset=utf-8";

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.ContentType = ContentType;
        httpContext.Response.ContentLength = utf8.Length;
        return httpContext.Response.Body.WriteAsync(utf8, httpContext.RequestAborted).AsTask();
    }

    /// <summary>Tells OpenAPI these endpoints answer XML.</summary>
    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(string), ["application/xml"]));
}
