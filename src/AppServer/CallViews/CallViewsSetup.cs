namespace AppServer.CallViews;

public static class CallViewsSetup
{
    public static IServiceCollection AddCallViews(this IServiceCollection services) => services.AddScoped<CallViewQuery>();
}
