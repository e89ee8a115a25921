using System.Net;
using System.Text.Json;
using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.Hosting;

/// <summary>
/// /health/live is the process alone; /health/ready is the database and the platform's credentials (one cached GET of the
/// Account resource); /health is the database, as before.
/// </summary>
public class HealthEndpointTests : IAsyncLifetime
{
    private const string WrongToken = "wrong-token-1234";

    private readonly FakeCallApi _callApi = new();

    public Task InitializeAsync() => _callApi.StartAsync();

    public async Task DisposeAsync() => await _callApi.DisposeAsync();

    [Fact]
    public async Task Ready_is_unhealthy_with_a_wrong_token_and_says_so_without_the_token()
    {
        RefuseEveryToken();
        await using var factory = Factory(authToken: WrongToken);

        var (status, body) = await GetAsync(factory, "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var check = Check(body, "callapi");
        Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
        var description = check.GetProperty("description").GetString()!;
        Assert.Contains("CallApi:AuthToken", description);
        Assert.Contains("HTTP 401", description);
        Assert.Contains(_callApi.BaseUrl, description);
        Assert.DoesNotContain(WrongToken, body);
        Assert.DoesNotContain(factory.Logs.Logs, l => l.Message.Contains(WrongToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Ready_is_healthy_when_the_platform_accepts_the_credentials_and_the_database_answers()
    {
        await using var factory = Factory();

        var (status, body) = await GetAsync(factory, "/health/ready");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", Check(body, "callapi").GetProperty("status").GetString());
        Assert.Equal("Healthy", Check(body, "database").GetProperty("status").GetString());
        var read = Assert.Single(AccountReads());
        Assert.Equal(FakeCallApi.ExpectedAuthorization, read.Authorization);
    }

    [Fact]
    public async Task Ready_reuses_the_platform_answer_for_the_configured_period()
    {
        await using var cached = Factory(settings: new() { ["AppServer:Health:CallApiCheckSeconds"] = "300" });
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await GetAsync(cached, "/health/ready")).Status);
        Assert.Single(AccountReads());

        await using var uncached = Factory(settings: new() { ["AppServer:Health:CallApiCheckSeconds"] = "0" });
        for (var i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await GetAsync(uncached, "/health/ready")).Status);
        Assert.Equal(4, AccountReads().Count);
    }

    [Fact]
    public async Task Live_and_the_old_health_route_do_not_depend_on_the_platform()
    {
        RefuseEveryToken();
        await using var factory = Factory(authToken: WrongToken);

        var live = await GetAsync(factory, "/health/live");
        var health = await GetAsync(factory, "/health");

        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.Equal(HttpStatusCode.OK, health.Status);
        // Storage only: reachable, and taking writes (StorageFaultTests); never the platform.
        Assert.Equal(["database", "writes"],
            JsonDocument.Parse(health.Body).RootElement.GetProperty("checks").EnumerateObject().Select(p => p.Name));
        Assert.Empty(AccountReads());
    }

    private void RefuseEveryToken() =>
        _callApi.When(r => r.Authorization != FakeCallApi.ExpectedAuthorization, ScriptedResponse.Text(401, "Unauthorized"));

    private List<RecordedRequest> AccountReads() =>
        _callApi.Requests.Where(r => r.Path == FakeCallApi.AccountPath + ".json").ToList();

    private AppServerFactory Factory(string authToken = FakeCallApi.AuthToken, Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["CallApi:BaseUrl"] = _callApi.BaseUrl,
            ["CallApi:AccountSid"] = FakeCallApi.AccountSid,
            ["CallApi:AuthToken"] = authToken,
            ["AppServer:Reconciliation:IntervalSeconds"] = "0",
        };
        foreach (var (key, value) in settings ?? []) all[key] = value;
        return new AppServerFactory(all);
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(AppServerFactory factory, string path)
    {
        using var response = await factory.CreateClient().GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static JsonElement Check(string body, string name) =>
        JsonDocument.Parse(body).RootElement.GetProperty("checks").GetProperty(name);
}
