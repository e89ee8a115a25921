using System.Reflection;

namespace AppServer.Hosting;

/// <summary>
/// Runs the app and, when it stops because of its configuration, prints one line per problem to stderr — the key and
/// what is wrong, no stack trace — and exits with 1. Any other failure propagates as usual.
/// </summary>
public static class StartupErrors
{
    public static async Task<int> RunAsync(Func<Task> app, TextWriter? error = null)
    {
        try
        {
            await app();
            return 0;
        }
        catch (Exception e) when (IsProcessEntryPoint() && ConfigurationProblems.Describe(e) is { Count: > 0 } problems)
        {
            error ??= Console.Error;
            await error.WriteLineAsync("AppServer did not start: its configuration has problems.");
            foreach (var problem in problems) await error.WriteLineAsync(problem);
            await error.FlushAsync();
            return 1;
        }
    }

    /// <summary>
    /// Only a process started for AppServer owns its exit code. A test host (WebApplicationFactory) runs Program inside its
    /// own process and learns of a failed start from the exception, so there it propagates unchanged.
    /// </summary>
    private static bool IsProcessEntryPoint() => Assembly.GetEntryAssembly() == typeof(StartupErrors).Assembly;
}
