namespace AppServer.Hosting;

public static class HostingSetup
{
    /// <summary>Start-up checks about where AppServer listens and how the platform reaches it.</summary>
    public static IServiceCollection AddHostingChecks(this IServiceCollection services)
    {
        services.AddHostedService<PublicBaseUrlCheck>();
        return services;
    }
}
