namespace AppServer.Rcml;

/// <summary>Compiles every template before the server takes calls: a broken one stops start-up, naming file and line.</summary>
public sealed class RcmlTemplatesStartupCheck(RcmlTemplateStore store) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        store.EnsureLoaded();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
