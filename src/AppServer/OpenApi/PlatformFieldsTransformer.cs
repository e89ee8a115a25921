using AppServer.Webhooks;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AppServer.OpenApi;

/// <summary>
/// Webhook and RCML handlers bind the whole request as one <see cref="PlatformRequest"/> (BindAsync), which OpenAPI
/// sees as an opaque body. This writes the fields the route declares (<see cref="PlatformFieldsMetadata"/>) instead:
/// a url-encoded form on POST, query parameters on GET (which has no body). More fields than listed are accepted.
/// </summary>
internal static class PlatformFieldsTransformer
{
    private const string FormContentType = "application/x-www-form-urlencoded";

    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata.OfType<PlatformFieldsMetadata>().LastOrDefault();
        if (metadata is null) return Task.CompletedTask;
        if (HttpMethods.IsPost(context.Description.HttpMethod ?? ""))
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Description = "The platform's parameters as a form (Restcomm also moves the configured URL's query here).",
                Content = new Dictionary<string, OpenApiMediaType> { [FormContentType] = new() { Schema = FormSchema(metadata.Fields) } },
            };
            return Task.CompletedTask;
        }
        operation.RequestBody = null;
        operation.Parameters ??= [];
        foreach (var field in metadata.Fields)
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = field.Name, In = ParameterLocation.Query, Required = field.Required, Description = field.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        return Task.CompletedTask;
    }

    private static OpenApiSchema FormSchema(IReadOnlyList<PlatformField> fields) => new()
    {
        Type = JsonSchemaType.Object,
        Properties = fields.ToDictionary(f => f.Name,
            f => (IOpenApiSchema)new OpenApiSchema { Type = JsonSchemaType.String, Description = f.Description }),
        Required = fields.Where(f => f.Required).Select(f => f.Name).ToHashSet(),
        // The platform sends more parameters than these; AppServer stores them all.
        AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.String },
    };
}
