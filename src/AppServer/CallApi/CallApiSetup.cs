namespace AppServer.CallApi;

public static class CallApiSetup
{
    public static IServiceCollection AddCallApi(this IServiceCollection services)
    {
        services.AddOptions<CallApiOptions>().BindConfiguration(CallApiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LiveCallClient>();
        return services;
    }
}
