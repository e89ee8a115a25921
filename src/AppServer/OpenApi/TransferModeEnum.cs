using System.Text.Json.Nodes;
using AppServer.Transfers;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AppServer.OpenApi;

/// <summary>
/// POST /transfer's mode is a string (validation trims it and ignores case, to say which value was wrong rather than
/// failing JSON binding), so OpenAPI would show any string: this lists the modes, from <see cref="TransferModes.All"/>.
/// </summary>
internal static class TransferModeEnum
{
    public static Task Apply(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonPropertyInfo is { } property && property.DeclaringType == typeof(TransferRequest)
            && property.Name == "mode")
        {
            schema.Type = JsonSchemaType.String;
            schema.Enum = TransferModes.All.Select(m => (JsonNode)JsonValue.Create(m)).ToList();
        }
        return Task.CompletedTask;
    }
}
