using Scalar.AspNetCore;

namespace AppServer.OpenApi;

/// <summary>
/// The OpenAPI document at /openapi/v1.json (the agent key's scheme, the webhooks' form fields, the transfer modes)
/// and the API reference page over it at /scalar.
/// </summary>
public static class OpenApiSetup
{
    public const string ReferencePath = "/scalar";

    public static IServiceCollection AddAppOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "AppServer";
                document.Info.Description = "Webhooks and RCML for the platform (CallAPI), and the agent API that moves live calls. "
                    + "Errors are RFC 9457 application/problem+json. See docs/agent-api.md.";
                return Task.CompletedTask;
            });
            options.AddDocumentTransformer(ApiKeySecurity.DeclareScheme);
            options.AddOperationTransformer(ApiKeySecurity.RequireOnAuthorizedOperations);
            options.AddOperationTransformer(PlatformFieldsTransformer.Describe);
            options.AddSchemaTransformer(TransferModeEnum.Apply);
        });

    public static WebApplication MapAppOpenApi(this WebApplication app)
    {
        app.MapOpenApi().WithSummary("This OpenAPI document")
            .WithDescription("The OpenAPI 3.1 description of every route, read by the API reference page at /scalar.");
        app.MapScalarApiReference(ReferencePath, options => options
                .WithTitle("AppServer API reference")
                .AddPreferredSecuritySchemes(Security.ApiKeyAuthenticationHandler.SchemeName))
            .WithSummary("API reference page")
            .WithDescription("A readable, try-it-out reference over /openapi/v1.json (Scalar).");
        return app;
    }
}
