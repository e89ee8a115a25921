using System.Reflection;
using Microsoft.Extensions.Options;

namespace AppServer.Hosting;

/// <summary>
/// Replaces the framework's <see cref="IStartupValidator"/> (what ValidateOnStart feeds), which stops at the first value
/// the binder cannot convert (<c>CallApi:TimeoutSeconds=abc</c> throws InvalidOperationException, not an
/// <see cref="OptionsValidationException"/>) and so hides every other problem. This one reads every options type of
/// AppServer bound to configuration or validated, one at a time, turns conversion failures into validation failures
/// naming the key and the value, then runs the framework's validator for the rest, and throws everything at once.
/// </summary>
internal sealed class CompleteStartupValidator(IServiceProvider services, IEnumerable<Type> optionsTypes, IStartupValidator? framework,
    IConfiguration configuration) : IStartupValidator
{
    private static readonly MethodInfo ReadMethod =
        typeof(CompleteStartupValidator).GetMethod(nameof(Read), BindingFlags.NonPublic | BindingFlags.Instance)!;

    public void Validate()
    {
        var problems = new List<OptionsValidationException>();
        foreach (var type in optionsTypes)
        {
            try
            {
                ReadMethod.MakeGenericMethod(type).Invoke(this, null);
            }
            catch (TargetInvocationException e) when (AsProblem(e.InnerException!, type) is { } problem)
            {
                problems.Add(problem);
            }
        }
        try
        {
            framework?.Validate();
        }
        catch (Exception e) when (e is OptionsValidationException or AggregateException || AsProblem(e, typeof(IConfiguration)) is not null)
        {
            var more = e is AggregateException aggregate ? aggregate.Flatten().InnerExceptions : [e];
            foreach (var inner in more)
            {
                if (AsProblem(inner, typeof(IConfiguration)) is not { } problem) throw;
                // Types read above fail here again (the monitor caches the failure): only the framework's own are new.
                if (!problems.Any(p => p.Failures.SequenceEqual(problem.Failures)))
                    problems.Add(problem);
            }
        }
        if (problems.Count == 1) throw problems[0];
        if (problems.Count > 1) throw new AggregateException(problems);
    }

    /// <summary>As ValidateOnStart does: the named default instance through the monitor, which binds and validates it.</summary>
    private void Read<T>() where T : class => _ = services.GetRequiredService<IOptionsMonitor<T>>().Get(Options.DefaultName);

    private OptionsValidationException? AsProblem(Exception exception, Type type) => exception switch
    {
        OptionsValidationException validation => validation,
        InvalidOperationException when ConfigurationProblems.ConversionFailure(exception, configuration) is { } line =>
            new OptionsValidationException(Options.DefaultName, type, [line]),
        _ => null,
    };
}
