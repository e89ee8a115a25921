namespace AppServer.Webhooks;

public static class WebhooksSetup
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services)
    {
        services.AddSingleton<WebhookAuthentication>();
        services.AddSingleton<WebhookValidation>();
        return services;
    }
}
