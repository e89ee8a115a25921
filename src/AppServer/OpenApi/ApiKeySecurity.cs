using AppServer.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AppServer.OpenApi;

/// <summary>
/// The agent key as an OpenAPI apiKey scheme in the X-Api-Key header, required by exactly the operations whose
/// endpoints carry authorization metadata (RequireAgentApiKey), so the document cannot drift from the routes.
/// </summary>
internal static class ApiKeySecurity
{
    public static Task DeclareScheme(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = ApiKeyAuthenticationHandler.Header,
            Description = "An agent API key: an agent's own (AppServer:AgentKeys, kept hashed) or a shared one "
                + "(AppServer:ApiKeys; dev-agent-key out of the box).",
        };
        return Task.CompletedTask;
    }

    public static Task RequireOnAuthorizedOperations(OpenApiOperation operation, OpenApiOperationTransformerContext context,
        CancellationToken ct)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any()) return Task.CompletedTask;
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement
        {
            [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [],
        });
        return Task.CompletedTask;
    }
}
