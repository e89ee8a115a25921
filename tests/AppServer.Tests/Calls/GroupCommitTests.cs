using System.Net;
using AppServer.Calls;
using AppServer.Calls.Store;
using AppServer.Data;
using AppServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Calls;

/// <summary>
/// CallWriteQueue commits concurrent webhook writes together (one transaction, one fsync). These pin down that
/// grouping changes nothing a caller can see: every acknowledged write is stored, writes to one call apply in
/// order, and a write that fails fails alone. Run against both providers (the subclasses at the end).
/// </summary>
public abstract class GroupCommitTests<TFixture>(TFixture app) : IClassFixture<TFixture> where TFixture : AppServerFixture
{
    private CallWriteQueue Queue => app.Factory.Services.GetRequiredService<CallWriteQueue>();

    [Fact]
    public async Task Two_hundred_concurrent_new_calls_are_each_stored_with_their_parameters()
    {
        var sids = Enumerable.Range(0, 200).Select(_ => Webhook.NewCallSid()).ToList();
        var responses = await Task.WhenAll(sids.Select((sid, i) =>
        {
            var parameters = Webhook.RestcommIncoming(sid, from: $"+1555000{i:D4}");
            parameters["InstanceId"] = "group-" + i;
            return app.Client.PostFormAsync("/incoming", parameters);
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var stored = await app.Factory.QueryDatabaseAsync(db => db.Calls.AsNoTracking().Where(c => sids.Contains(c.CallSid)).ToListAsync());
        Assert.Equal(200, stored.Count);
        foreach (var call in stored)
        {
            var i = sids.IndexOf(call.CallSid);
            Assert.Equal($"+1555000{i:D4}", call.From);
            Assert.Equal("group-" + i, call.Parameters["InstanceId"]);
            Assert.Equal("ringing", call.CallStatus);
            Assert.Equal(1, call.Version);
        }
    }

    [Fact]
    public async Task Concurrent_writes_to_one_call_each_see_the_previous_one()
    {
        var sid = Webhook.NewCallSid();
        // Each change appends to a parameter: a lost update (two changes applied to the same old row) would drop a digit.
        var writes = Enumerable.Range(0, 100).Select(i => Queue.WriteAsync(sid, createIfMissing: true, call =>
        {
            call.Parameters["Trail"] = (call.Parameters.TryGetValue("Trail", out var trail) ? trail + "," : "") + i;
        }, CancellationToken.None));
        var results = await Task.WhenAll(writes);

        Assert.All(results, Assert.NotNull);
        var stored = await app.Factory.QueryDatabaseAsync(db => db.Calls.AsNoTracking().SingleAsync(c => c.CallSid == sid));
        Assert.Equal(string.Join(",", Enumerable.Range(0, 100)), stored.Parameters["Trail"]);
        Assert.Equal(100, stored.Version);
    }

    [Fact]
    public async Task A_failing_write_fails_alone_and_the_others_of_its_group_are_stored()
    {
        var sids = Enumerable.Range(0, 40).Select(_ => Webhook.NewCallSid()).ToList();
        var writes = sids.Select((sid, i) => Queue.WriteAsync(sid, createIfMissing: true, call =>
        {
            if (i == 17) throw new InvalidOperationException("boom");
            call.From = "caller-" + i;
        }, CancellationToken.None)).ToList();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => writes[17]);
        Assert.Equal("boom", failure.Message);
        for (var i = 0; i < sids.Count; i++)
            if (i != 17) Assert.Equal("caller-" + i, (await writes[i])!.From);

        var stored = await app.Factory.QueryDatabaseAsync(db => db.Calls.AsNoTracking().Where(c => sids.Contains(c.CallSid)).ToListAsync());
        Assert.Equal(39, stored.Count);
        Assert.DoesNotContain(stored, c => c.CallSid == sids[17]);
    }

    [Fact]
    public async Task Updating_an_unknown_call_creates_nothing()
    {
        var sid = Webhook.NewCallSid();
        Assert.Null(await Queue.WriteAsync(sid, createIfMissing: false, call => call.Muted = true, CancellationToken.None));
        Assert.Equal(0, await app.Factory.QueryDatabaseAsync(db => db.Calls.CountAsync(c => c.CallSid == sid)));
    }

    [Fact]
    public async Task Every_column_round_trips_through_the_writer()
    {
        var sid = Webhook.NewCallSid();
        var ended = new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);
        await Queue.WriteAsync(sid, createIfMissing: true, call =>
        {
            call.AccountSid = "AC1"; call.From = "alice"; call.To = "1111"; call.Direction = "inbound"; call.CallStatus = "completed";
            call.ForwardedFrom = "ff"; call.CallerName = "Ann <&>"; call.ParentCallSid = "CA-parent"; call.Agent = "bob";
            call.Muted = true; call.EndedAt = ended; call.Duration = 42; call.Parameters["Ümlaut"] = "\"quoted\" 🎧";
        }, CancellationToken.None);
        // A second write reads the row back through the writer and must see every value.
        var reread = await Queue.WriteAsync(sid, createIfMissing: false, _ => { }, CancellationToken.None);

        var stored = await app.Factory.QueryDatabaseAsync(db => db.Calls.AsNoTracking().SingleAsync(c => c.CallSid == sid));
        foreach (var call in new[] { reread!, stored })
        {
            Assert.Equal(("AC1", "alice", "1111", "inbound", "completed"),
                (call.AccountSid, call.From, call.To, call.Direction, call.CallStatus));
            Assert.Equal(("ff", "Ann <&>", "CA-parent", "bob"), (call.ForwardedFrom, call.CallerName, call.ParentCallSid, call.Agent));
            Assert.True(call.Muted);
            Assert.Equal(ended, call.EndedAt);
            Assert.Equal(42, call.Duration);
            Assert.Equal("\"quoted\" 🎧", call.Parameters["Ümlaut"]);
            Assert.Equal(2, call.Version);
            Assert.True(call.UpdatedAt >= call.CreatedAt);
        }
    }

    [Fact]
    public async Task Empty_text_is_stored_as_empty_text_not_as_null()
    {
        var sid = Webhook.NewCallSid();
        await Queue.WriteAsync(sid, createIfMissing: true, call =>
        {
            call.From = "";
            call.Parameters["Empty"] = "";
        }, CancellationToken.None);

        var stored = await app.Factory.QueryDatabaseAsync(db => db.Calls.AsNoTracking().SingleAsync(c => c.CallSid == sid));
        Assert.Equal("", stored.From);
        Assert.Equal("", stored.Parameters["Empty"]);
    }

    [Fact]
    public async Task A_write_canceled_while_it_waits_in_the_queue_is_withdrawn_and_never_stored()
    {
        var withdrawn = Webhook.NewCallSid();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();

        // The writer is held inside a first write, so the next one can only wait in the queue.
        var first = Queue.WriteAsync(Webhook.NewCallSid(), createIfMissing: true, _ =>
        {
            entered.TrySetResult();
            release.Wait(TimeSpan.FromSeconds(10));
        }, CancellationToken.None);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        using var request = new CancellationTokenSource();
        var queued = Queue.WriteAsync(withdrawn, createIfMissing: true, call => call.From = "withdrawn", request.Token);
        request.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);

        release.Set();
        await first;
        await Queue.WriteAsync(Webhook.NewCallSid(), createIfMissing: true, _ => { }, CancellationToken.None); // the queue has drained
        Assert.Null(await app.Factory.QueryDatabaseAsync(db => db.Calls.AsNoTracking().SingleOrDefaultAsync(c => c.CallSid == withdrawn)));
    }
}

public sealed class SqliteGroupCommitTests(AppServerFixture app) : GroupCommitTests<AppServerFixture>(app);

public sealed class PostgreSqlGroupCommitTests(PostgresAppServerFixture app) : GroupCommitTests<PostgresAppServerFixture>(app);
