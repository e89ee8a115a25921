using AppServer.Data;

namespace AppServer.Calls;

public static class CallsSetup
{
    public static IServiceCollection AddCalls(this IServiceCollection services)
    {
        services.AddSingleton<CallChangeFeed>();
        services.AddSingleton<SqliteWriteGate>();
        services.AddScoped<CallStore>();
        return services;
    }
}
