using AppServer.Calls.Store;

namespace AppServer.Calls;

public static class CallsSetup
{
    public static IServiceCollection AddCalls(this IServiceCollection services)
    {
        services.AddSingleton<CallChangeFeed>();
        services.AddSingleton<SqliteWriteGate>();
        services.AddSingleton<CallWriteQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<CallWriteQueue>());
        services.AddScoped<CallStore>();
        services.AddOptions<StorageLimits>().BindConfiguration(StorageLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
