using System.Diagnostics;
using System.Net;
using AppServer.Calls.Store;
using AppServer.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace AppServer.Tests.Calls;

/// <summary>
/// A database that cannot take writes — here another process holding SQLite's write lock — is reported, not hidden:
/// webhooks are answered 503 with Retry-After within the write timeout, <c>/health</c> says why, the log says it once,
/// and everything works again by itself once the lock is released.
/// </summary>
public class StorageFaultTests
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["AppServer:Database:BusyTimeoutSeconds"] = "1",
        ["AppServer:Database:WriteTimeoutSeconds"] = "2",
    };

    /// <summary>What a second process does to the file: takes the write lock and keeps it.</summary>
    private static async Task<SqliteConnection> HoldWriteLockAsync(string database)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }

    [Fact]
    public async Task While_another_process_holds_the_write_lock_webhooks_get_503_with_Retry_After_and_health_says_why()
    {
        await using var app = new AppServerFactory(Settings);
        app.StartServer();
        using var client = app.CreateClient();
        var first = await client.PostFormAsync("/incoming", Webhook.RestcommIncoming(Webhook.NewCallSid()));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var refused = Enumerable.Range(0, 4).Select(_ => Webhook.NewCallSid()).ToList();
        await using (var holder = await HoldWriteLockAsync(app.DatabasePath))
        {
            var clock = Stopwatch.StartNew();
            var answers = await Task.WhenAll(refused.Select(sid => client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid))));
            // The write timeout (2 s) bounds the wait, not the connection's 30 s command timeout.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(8), $"answered after {clock.Elapsed.TotalSeconds:F1} s");
            foreach (var answer in answers)
            {
                var problem = await ProblemAssert.AssertProblem(answer, HttpStatusCode.ServiceUnavailable, null);
                Assert.Contains("send it again", problem.Detail);
                Assert.Equal(TimeSpan.FromSeconds(StorageUnavailableException.RetryAfterSeconds), answer.Headers.RetryAfter?.Delta);
            }
            var health = await client.GetAsync("/health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Contains("Call writes failing since", await health.Content.ReadAsStringAsync());

            // A second burst in the same episode: answered the same way, and not logged again.
            var again = new Dictionary<string, string> { ["CallSid"] = refused[0], ["CallStatus"] = "ringing" };
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.PostFormAsync("/status", again)).StatusCode);
        }

        var episodeLines = app.Logs.Logs.Where(l => l.Category == typeof(StorageFaults).FullName).ToList();
        Assert.Single(episodeLines, l => l.Level == LogLevel.Error);
        var others = app.Logs.Logs.Where(l => l.Level >= LogLevel.Error && l.Category != typeof(StorageFaults).FullName).ToList();
        Assert.True(others.Count == 0, string.Join("\n", others.Select(l => $"{l.Category}: {l.Message}")));

        // The lock is gone: the platform's retries are stored, health is back, and the end of the episode is logged.
        foreach (var sid in refused)
            Assert.Equal(HttpStatusCode.OK, (await client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
        Assert.Contains(app.Logs.Logs, l => l.Category == typeof(StorageFaults).FullName && l.Message.Contains("work again"));
        using var agent = app.CreateAgentClient();
        foreach (var sid in refused) Assert.Equal("alice", (await agent.GetCallAsync(sid)).From);
        var rows = await app.QueryDatabaseAsync(db => Task.FromResult(db.Calls.Count(c => refused.Contains(c.CallSid))));
        Assert.Equal(refused.Count, rows);
    }
}
