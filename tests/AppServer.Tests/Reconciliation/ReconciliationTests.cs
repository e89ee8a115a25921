using AppServer.Reconciliation;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Reconciliation;

/// <summary>Calls believed live are checked against the platform; what it no longer knows or reports ended is ended here.</summary>
public class ReconciliationTests(CallApiFixture app) : IClassFixture<CallApiFixture>
{
    private static readonly ReconciliationOptions Fast = new() { IntervalSeconds = 300, MaxReadsPerMinute = 6000, MaxCallsPerRound = 1000 };

    private Task<int> RoundAsync(ReconciliationOptions? settings = null) =>
        app.Factory.Services.GetRequiredService<CallReconciler>().RoundAsync(settings ?? Fast, CancellationToken.None);

    private static string CallJson(string sid, string status) => FakeCallApi.CallJson(sid, status, "inbound", "+15551234567",
        "+15550001000");

    [Fact]
    public async Task A_call_the_platform_no_longer_knows_or_reports_ended_is_ended_and_a_live_one_is_left_alone()
    {
        var unknown = await app.SeedCallAsync();
        var ended = await app.SeedCallAsync();
        var live = await app.SeedCallAsync();
        app.CallApi.When(r => r.Method == "GET" && r.Mentions(unknown), ScriptedResponse.Text(404,
            "The requested resource was not found."));
        app.CallApi.When(r => r.Method == "GET" && r.Mentions(ended), ScriptedResponse.Json(200, CallJson(ended, "no-answer")));

        Assert.True(await RoundAsync() >= 2);

        Assert.Equal("completed", (await app.GetCallAsync(unknown)).CallStatus);
        Assert.NotNull((await app.GetCallAsync(unknown)).EndedAt);
        Assert.Equal("no-answer", (await app.GetCallAsync(ended)).CallStatus);
        Assert.Equal("in-progress", (await app.GetCallAsync(live)).CallStatus);
        Assert.Contains(app.CallApi.RequestsMentioning(live), r => r.Method == "GET" && r.Path.EndsWith($"/Calls/{live}.json"));
    }

    [Fact]
    public async Task A_platform_that_cannot_be_read_ends_nothing()
    {
        var sid = await app.SeedCallAsync();
        app.CallApi.When(r => r.Method == "GET" && r.Mentions(sid), ScriptedResponse.Text(500, "Internal error"));

        await RoundAsync();

        Assert.Equal("in-progress", (await app.GetCallAsync(sid)).CallStatus);
    }

    [Fact]
    public async Task A_round_reads_at_most_MaxCallsPerRound_calls_oldest_first()
    {
        await app.SeedCallAsync();
        await app.SeedCallAsync();
        var before = app.CallApi.Requests.Count(r => r.Method == "GET");
        await RoundAsync(new ReconciliationOptions { MaxReadsPerMinute = 6000, MaxCallsPerRound = 1 });
        Assert.Equal(before + 1, app.CallApi.Requests.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task A_room_whose_customer_ended_unseen_is_ended_by_reconciliation()
    {
        var customer = await app.SeedCallAsync();
        var guest = Webhook.NewCallSid();
        var room = "room-" + Guid.NewGuid().ToString("N")[..10];
        await app.FetchRcmlAsync($"/Conference?room={room}", customer);
        await app.FetchRcmlAsync($"/Conference?room={room}", guest, direction: "outbound-api", to: "+15557654321");
        app.CallApi.When(r => r.Method == "GET" && r.Mentions(customer), ScriptedResponse.Json(200, CallJson(customer, "completed")));

        await RoundAsync();

        await Eventually.HoldsAsync(async () => app.CallApi.RequestsMentioning(guest).Any(r => r.Field("Status") == "completed"),
            "the guest left alone in the room is hung up");
    }
}
