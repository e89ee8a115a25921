using AppServer.Rcml;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AppServer.Hosting;

public static class ConfigurationValidation
{
    /// <summary>
    /// Every options type of AppServer (bound with BindConfiguration, or with a validator) is checked at start-up by
    /// <see cref="CompleteStartupValidator"/>. The list is read when the validator is first resolved, so options registered
    /// after this call (or by a test host) count too.
    /// </summary>
    public static IServiceCollection AddCompleteStartupValidation(this IServiceCollection services)
    {
        var framework = services.LastOrDefault(d => d.ServiceType == typeof(IStartupValidator));
        services.Replace(ServiceDescriptor.Transient<IStartupValidator>(sp => new CompleteStartupValidator(sp, OptionsTypes(services),
            framework?.ImplementationType is { } type ? (IStartupValidator)ActivatorUtilities.CreateInstance(sp, type) : null,
            sp.GetRequiredService<IConfiguration>())));
        return services;
    }

    /// <summary>
    /// Runs the start-up checks of configuration right after the app is built, before anything (middleware set-up, the
    /// database migration) reads an options value and fails alone: every bad value and every broken RCML template is
    /// reported together. The host runs the same validator again when it starts; by then it passes.
    /// </summary>
    public static void ValidateConfiguration(this WebApplication app)
    {
        var problems = new List<Exception>();
        Check(problems, () => app.Services.GetService<IStartupValidator>()?.Validate());
        Check(problems, () => app.Services.GetRequiredService<RcmlTemplateStore>().EnsureLoaded());
        if (problems.Count == 0) return;
        // Not disposed here: under a test host (WebApplicationFactory) the host is being started from another thread with
        // these same services, and disposing them under it turned the configuration error into an ObjectDisposedException.
        // A process of its own exits with 1 next (StartupErrors).
        if (problems.Count == 1) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(problems[0]);
        throw new AggregateException(problems);
    }

    private static void Check(List<Exception> problems, Action check)
    {
        try
        {
            check();
        }
        catch (Exception e) when (ConfigurationProblems.Describe(e).Count > 0)
        {
            problems.Add(e);
        }
    }

    private static IEnumerable<Type> OptionsTypes(IServiceCollection services) =>
        services
            .Where(d => d.ServiceType.IsGenericType
                && (d.ServiceType.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>)
                    || d.ServiceType.GetGenericTypeDefinition() == typeof(IValidateOptions<>)))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => t.Assembly == typeof(ConfigurationValidation).Assembly)
            .Distinct()
            .ToList();
}
