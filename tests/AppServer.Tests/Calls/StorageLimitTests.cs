using System.Net;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.Logging;

namespace AppServer.Tests.Calls;

/// <summary>Small storage limits, so a test can reach them.</summary>
public sealed class SmallLimitsFixture : CallApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["AppServer:Limits:MaxParametersPerCall"] = "40",
        ["AppServer:Limits:MaxValueLength"] = "256",
        ["AppServer:Limits:MaxCallParametersLength"] = "4096",
    };
}

/// <summary>
/// What the platform (or anyone holding the webhook token) can make AppServer store for one call is bounded: over a
/// limit the webhook is a 413 naming it, nothing of it is stored, a warning is logged, and other calls are unaffected.
/// </summary>
public class StorageLimitTests(SmallLimitsFixture app) : IClassFixture<SmallLimitsFixture>
{
    private async Task<HttpResponseMessage> StatusWithHeadersAsync(string sid, int first, int count, int valueLength = 8)
    {
        var form = new Dictionary<string, string>
        {
            ["CallSid"] = sid,
            ["CallStatus"] = "in-progress",
            ["token"] = CallApiFixture.WebhookToken,
        };
        for (var i = first; i < first + count; i++) form[$"SipHeader_X-Extra-{i}"] = new string('v', valueLength);
        return await app.Client.PostFormAsync("/status", form);
    }

    [Fact]
    public async Task One_webhook_with_too_many_parameters_is_413_naming_the_limit_and_stores_nothing()
    {
        var sid = Webhook.NewCallSid();
        var answer = await StatusWithHeadersAsync(sid, 0, 45);
        var problem = await ProblemAssert.AssertProblem(answer, HttpStatusCode.RequestEntityTooLarge, null);
        Assert.Contains("AppServer:Limits:MaxParametersPerCall", problem.Detail);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Agent.GetAsync($"/calls/{sid}")).StatusCode);
    }

    [Fact]
    public async Task A_value_over_the_limit_is_413_naming_it()
    {
        var sid = Webhook.NewCallSid();
        var problem = await ProblemAssert.AssertProblem(await StatusWithHeadersAsync(sid, 0, 1, valueLength: 300),
            HttpStatusCode.RequestEntityTooLarge, null);
        Assert.Contains("AppServer:Limits:MaxValueLength", problem.Detail);
        Assert.Equal(HttpStatusCode.NotFound, (await app.Agent.GetAsync($"/calls/{sid}")).StatusCode);
    }

    [Fact]
    public async Task Webhooks_that_together_grow_a_call_past_the_limit_are_refused_and_the_row_stays_as_it_was()
    {
        var sid = await app.SeedCallAsync();
        var other = await app.SeedCallAsync();
        HttpResponseMessage? refused = null;
        var sent = 0;
        for (var round = 0; round < 10 && refused is null; round++)
        {
            var response = await StatusWithHeadersAsync(sid, round * 10, 10);
            if (response.StatusCode == HttpStatusCode.OK) sent += 10;
            else refused = response;
        }

        Assert.NotNull(refused);
        var problem = await ProblemAssert.AssertProblem(refused, HttpStatusCode.RequestEntityTooLarge, null);
        Assert.Contains("AppServer:Limits:MaxParametersPerCall", problem.Detail);
        var call = await app.GetCallAsync(sid);
        Assert.True(call.Parameters.Count <= 40);
        Assert.Equal(sent, call.Parameters.Keys.Count(k => k.StartsWith("SipHeader_X-Extra-", StringComparison.Ordinal)));
        Assert.Contains(app.Factory.Logs.Logs, l => l.Level == LogLevel.Warning && l.Message.Contains("refused (413)"));
        // Another call's webhooks go on as before.
        await app.PostStatusAsync(other, "completed");
        Assert.Equal("completed", (await app.GetCallAsync(other)).CallStatus);
    }

    [Fact]
    public async Task A_call_too_long_in_characters_is_refused_too()
    {
        var sid = await app.SeedCallAsync();
        HttpResponseMessage? refused = null;
        for (var round = 0; round < 10 && refused is null; round++)
        {
            var response = await StatusWithHeadersAsync(sid, round * 4, 4, valueLength: 250);
            if (response.StatusCode != HttpStatusCode.OK) refused = response;
        }
        var problem = await ProblemAssert.AssertProblem(refused!, HttpStatusCode.RequestEntityTooLarge, null);
        Assert.Contains("AppServer:Limits:MaxCallParametersLength", problem.Detail);
    }
}
