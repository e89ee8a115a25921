namespace AppServer.Transfers;

public static class TransfersSetup
{
    public static IServiceCollection AddTransfers(this IServiceCollection services)
    {
        services.AddScoped<TransferStore>();
        services.AddScoped<TransferService>();
        return services;
    }
}
