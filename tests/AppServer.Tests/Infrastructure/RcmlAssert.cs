using System.Net;
using System.Xml.Linq;
using AppServer.Rcml;
using Microsoft.AspNetCore.Http;

namespace AppServer.Tests.Infrastructure;

/// <summary>Checks that an answer is RCML the platform can execute: application/xml, well-formed, valid against rcml.xsd.</summary>
public static class RcmlAssert
{
    private static readonly Lazy<RcmlSchema> Schema = new(() =>
        RcmlSchema.Load(Path.Combine(AppContext.BaseDirectory, "rcml-templates", RcmlTemplates.SchemaFileName)));

    public static async Task<XDocument> ValidRcmlAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        return Valid(body);
    }

    public static XDocument Valid(string xml) => Valid(XDocument.Parse(xml));

    /// <summary>An RCML answer as the platform would receive it: executed into a response body, then parsed.</summary>
    public static XDocument Sent(RcmlResult result)
    {
        var http = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        result.ExecuteAsync(http).GetAwaiter().GetResult();
        Assert.Equal(RcmlResult.ContentType, http.Response.ContentType);
        return XDocument.Parse(System.Text.Encoding.UTF8.GetString(((MemoryStream)http.Response.Body).ToArray()));
    }

    public static XDocument Valid(XDocument document)
    {
        // Round-trip through text: what the platform receives is the serialized form, not the object tree.
        var reparsed = XDocument.Parse(document.ToString(SaveOptions.DisableFormatting));
        var errors = Schema.Value.Validate(reparsed);
        Assert.True(errors.Count == 0, "not valid RCML: " + string.Join("; ", errors.Select(e => e.Message)) + "\n" + reparsed);
        return reparsed;
    }
}
