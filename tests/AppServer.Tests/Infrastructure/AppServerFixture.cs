namespace AppServer.Tests.Infrastructure;

/// <summary>One started AppServer per test class (xunit IClassFixture), with default settings.</summary>
public class AppServerFixture : IAsyncLifetime
{
    public AppServerFactory Factory { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public HttpClient Agent { get; private set; } = null!;

    protected virtual IDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>SQLite here; the PostgreSQL fixtures (<see cref="PostgresAppServerFixture"/>) override it.</summary>
    protected virtual TestProvider Provider => TestProvider.Sqlite;

    public virtual Task InitializeAsync()
    {
        Factory = new AppServerFactory(Settings, provider: Provider);
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

    /// <summary><c>GET /calls/{callSid}</c> with the agent key; fails unless the call is stored.</summary>
    public Task<ApiCall> GetCallAsync(string callSid) => Agent.GetCallAsync(callSid);

    /// <summary><c>GET /calls?limit=…</c> with the agent key.</summary>
    public Task<IReadOnlyList<ApiCall>> ListCallsAsync(int limit = 1000) => Agent.ListCallsAsync(limit);

    /// <summary><c>GET /transfers/{id}</c> with the agent key; fails unless the action is stored.</summary>
    public Task<ApiTransfer> GetTransferAsync(string id) => Agent.GetTransferAsync(id);
}

/// <summary>The same on a fresh database of the shared PostgreSQL test server.</summary>
public sealed class PostgresAppServerFixture : AppServerFixture
{
    protected override TestProvider Provider => TestProvider.PostgreSql;
}
