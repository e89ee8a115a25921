namespace AppServer.Rcml;

public static class RcmlSetup
{
    public static IServiceCollection AddRcml(this IServiceCollection services)
    {
        services.AddSingleton<IncomingCallRcml>();
        return services;
    }
}
