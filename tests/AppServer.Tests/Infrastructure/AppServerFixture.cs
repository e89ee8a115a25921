namespace AppServer.Tests.Infrastructure;

/// <summary>One started AppServer per test class (xunit IClassFixture), with default settings.</summary>
public class AppServerFixture : IAsyncLifetime
{
    public AppServerFactory Factory { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public HttpClient Agent { get; private set; } = null!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public virtual Task InitializeAsync()
    {
        Factory = new AppServerFactory(Settings);
        Factory.StartServer();
        Client = Factory.CreateClient();
        Agent = Factory.CreateAgentClient();
        return Task.CompletedTask;
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        Agent.Dispose();
        await Factory.DisposeAsync();
    }
}
