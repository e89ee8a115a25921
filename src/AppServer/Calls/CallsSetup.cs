using AppServer.Calls.Store;
using AppServer.Telemetry;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AppServer.Calls;

public static class CallsSetup
{
    public static IServiceCollection AddCalls(this IServiceCollection services)
    {
        // PostgreSQL registers its own (NOTIFY to the other instances) and call writer first: see PostgresSetup.
        services.TryAddSingleton<ICallChangeBroadcast, NoCallChangeBroadcast>();
        services.TryAddSingleton<ICallBatchCommitter, SqliteCallBatchCommitter>();
        services.AddAppServerMetrics();
        services.AddSingleton<CallChangeFeed>();
        services.TryAddSingleton<SqliteWriteGate>();
        services.AddSingleton<StorageFaults>();
        services.AddSingleton<CallWriteQueue>();
        services.AddHostedService(sp => sp.GetRequiredService<CallWriteQueue>());
        services.AddScoped<CallStore>();
        services.AddOptions<StorageLimits>().BindConfiguration(StorageLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
