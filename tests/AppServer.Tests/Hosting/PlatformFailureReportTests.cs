using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace AppServer.Tests.Hosting;

/// <summary>
/// When CallAPI cannot be reached or does not answer in time, the agent's problem and the log name CallApi:BaseUrl and its value.
/// </summary>
public class PlatformFailureReportTests
{
    [Fact]
    public async Task An_unreachable_platform_is_a_502_and_a_warning_naming_CallApi_BaseUrl_and_its_value()
    {
        var nowhere = $"http://127.0.0.1:{LoopbackPorts.Free()}/restcomm";
        await using var factory = Factory(nowhere);

        var (status, detail) = await TransferAsync(factory);

        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Contains($"{nowhere} (CallApi:BaseUrl)", detail);
        Assert.Contains(factory.Logs.Logs, l => l.Level == LogLevel.Warning && l.Message.Contains($"{nowhere} (CallApi:BaseUrl)"));
    }

    [Fact]
    public async Task A_platform_timeout_is_a_504_and_a_warning_naming_CallApi_BaseUrl_its_value_and_the_timeout_key()
    {
        await using var callApi = new FakeCallApi();
        await callApi.StartAsync();
        callApi.When(r => r.Method == "POST", ScriptedResponse.Slow(TimeSpan.FromSeconds(5)));
        await using var factory = Factory(callApi.BaseUrl, timeoutSeconds: 1);

        var (status, detail) = await TransferAsync(factory);

        Assert.Equal(HttpStatusCode.GatewayTimeout, status);
        Assert.Contains($"{callApi.BaseUrl} (CallApi:BaseUrl)", detail);
        Assert.Contains(factory.Logs.Logs, l => l.Level == LogLevel.Warning && l.Message.Contains($"{callApi.BaseUrl} (CallApi:BaseUrl)")
            && l.Message.Contains("CallApi:TimeoutSeconds"));
    }

    private static AppServerFactory Factory(string baseUrl, int timeoutSeconds = 5) => new(new Dictionary<string, string?>
    {
        ["CallApi:BaseUrl"] = baseUrl,
        ["CallApi:AccountSid"] = FakeCallApi.AccountSid,
        ["CallApi:AuthToken"] = FakeCallApi.AuthToken,
        ["CallApi:TimeoutSeconds"] = timeoutSeconds.ToString(),
        ["AppServer:Reconciliation:IntervalSeconds"] = "0",
    });

    /// <summary>A live call through the real webhooks, then a cold transfer of it to alice: the platform's answer decides.</summary>
    private static async Task<(HttpStatusCode Status, string Detail)> TransferAsync(AppServerFactory factory)
    {
        var client = factory.CreateClient();
        var sid = Webhook.NewCallSid();
        (await client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid, from: "+15551234567", to: "+15550001000")))
            .EnsureSuccessStatusCode();
        (await client.PostFormAsync("/status", new Dictionary<string, string> { ["CallSid"] = sid, ["CallStatus"] = "in-progress" }))
            .EnsureSuccessStatusCode();

        using var response = await factory.CreateAgentClient().PostAsJsonAsync("/transfer",
            new { callSid = sid, to = "alice", mode = "cold" });
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return (response.StatusCode, body.GetProperty("detail").GetString() ?? "");
    }
}
