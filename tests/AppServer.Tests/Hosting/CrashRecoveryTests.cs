using System.Collections.Concurrent;
using System.Net;
using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.Hosting;

/// <summary>
/// The durability promise, tested the hard way: a published AppServer under load is killed with SIGKILL (no shutdown, no
/// flush), started again on the same database, and every webhook it had acknowledged with 200 is there.
/// </summary>
[Collection(PublishedAppServerCollection.Name)]
public class CrashRecoveryTests(PublishedAppServer published)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private const int Senders = 8;
    private const int AcknowledgedBeforeKill = 400;

    [Theory]
    [InlineData(TestProvider.Sqlite)]
    [InlineData(TestProvider.PostgreSql)]
    public async Task Every_acknowledged_webhook_is_stored_after_a_kill_9_under_load(TestProvider provider)
    {
        using var sqlite = new TempDatabase();
        using var postgres = provider == TestProvider.PostgreSql ? new PostgresDatabase() : null;
        var environment = postgres is null
            ? new Dictionary<string, string?> { ["ConnectionStrings__AppServer"] = $"Data Source={sqlite.Path}" }
            : postgres.Settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        var port = LoopbackPorts.Free();
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";

        var acknowledged = new ConcurrentBag<string>();
        var cutOff = 0; // requests that failed because the process died under them
        using var stop = new CancellationTokenSource();
        Task[] senders;
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
        await using (var first = published.Start(environment))
        {
            await first.WaitUntilAnswersAsync(port, "/health/live", StartTimeout);
            senders = Enumerable.Range(0, Senders).Select(_ => Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var sid = Webhook.NewCallSid();
                    try
                    {
                        using var answer = await client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid));
                        if (answer.StatusCode == HttpStatusCode.OK) acknowledged.Add(sid);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        Interlocked.Increment(ref cutOff);
                        await Task.Delay(50);
                    }
                }
            })).ToArray();
            await Eventually.HoldsAsync(() => Task.FromResult(acknowledged.Count >= AcknowledgedBeforeKill),
                $"{AcknowledgedBeforeKill} webhooks acknowledged", timeoutMs: 60_000);
        } // disposing kills the process tree with SIGKILL while the senders are still sending
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(senders);
        var sent = acknowledged.ToList();
        Assert.True(cutOff > 0, "the kill should have cut off requests in flight");

        await using var second = published.Start(environment);
        await second.WaitUntilAnswersAsync(port, "/health/live", StartTimeout);
        using var agent = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        agent.DefaultRequestHeaders.Add("X-Api-Key", AppServerFactory.ApiKey);
        var missing = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(sent, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (sid, ct) =>
        {
            using var answer = await agent.GetAsync($"/calls/{sid}", ct);
            if (answer.StatusCode != HttpStatusCode.OK) missing.Add(sid);
        });
        Assert.True(missing.IsEmpty, $"{missing.Count} of {sent.Count} acknowledged calls lost, e.g. {missing.FirstOrDefault()}");
    }
}
