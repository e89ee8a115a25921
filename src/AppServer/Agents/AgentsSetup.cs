using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AppServer.Agents;

public static class AgentsSetup
{
    public static IServiceCollection AddAgents(this IServiceCollection services)
    {
        services.AddOptions<AgentsOptions>().BindConfiguration(AgentsOptions.Section).ValidateOnStart();
        services.AddOptions<NumbersOptions>().BindConfiguration(NumbersOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentsOptions>, AgentsConfigValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NumbersOptions>, NumbersConfigValidation>());
        services.AddSingleton<AgentDirectory>();
        return services;
    }
}
