using AppServer.CallControl;
using AppServer.Conferences;
using AppServer.Legs;
using AppServer.Telemetry;
using AppServer.Transfers;

namespace AppServer.Actions;

public static class ActionsSetup
{
    /// <summary>The action model and one small handler per action.</summary>
    public static IServiceCollection AddCallActions(this IServiceCollection services)
    {
        services.AddAppServerMetrics();
        services.AddSingleton<CallActionStore>();
        services.AddHostedService<AbandonedActionRecovery>();
        services.AddScoped<ActionRunner>();
        services.AddScoped<OutgoingCalls>();
        services.AddScoped<ColdTransfer>();
        services.AddScoped<ConferenceTransfer>();
        services.AddScoped<InviteParticipant>();
        services.AddScoped<HangUp>();
        services.AddScoped<Mute>();
        services.AddScoped<EndRoom>();
        services.AddScoped<Hold>();
        services.AddScoped<WarmTransfer>();
        services.AddScoped<CompleteWarmTransfer>();
        services.AddScoped<CancelWarmTransfer>();
        services.AddScoped<RemoveParticipant>();
        services.AddScoped<LegPartners>();
        services.AddScoped<RoomQuery>();
        services.AddScoped<RoomMembership>();
        services.AddScoped<LegProgress>();
        services.AddSingleton<LiveCallReactions>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveCallReactions>());
        return services;
    }
}
