using AppServer.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;

namespace AppServer.OpenApi;

/// <summary>The OpenAPI document at /openapi/v1.json: the agent key's security scheme on every route that needs it.</summary>
public static class OpenApiSetup
{
    public static IServiceCollection AddAppOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.Header,
                    Description =
                        "An agent API key: an agent's own (AppServer:AgentKeys, kept hashed) or a shared one (AppServer:ApiKeys).",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAuthorizeData>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = [],
                    });
                }
                return Task.CompletedTask;
            });
        });
}
