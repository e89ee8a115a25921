namespace AppServer.Rcml;

public static class RcmlSetup
{
    public static IServiceCollection AddRcml(this IServiceCollection services)
    {
        services.AddOptions<RcmlOptions>().BindConfiguration(RcmlOptions.Section);
        services.AddSingleton<RcmlTemplateStore>();
        services.AddSingleton<RcmlRenderer>();
        services.AddSingleton<RcmlUrls>();
        services.AddSingleton<RcmlResponses>();
        services.AddOptions<HoldOptions>().BindConfiguration(HoldOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<HoldMusic>();
        services.AddHostedService<RcmlTemplatesStartupCheck>();
        return services;
    }
}
