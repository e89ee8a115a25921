using System.Net;
using AppServer.Calls.Store;
using AppServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace AppServer.Tests.Instances;

/// <summary>
/// docs SPEC §10: with PostgreSQL every guarantee holds across instances, not only inside one process. Each test spreads
/// its requests over two instances sharing one database.
/// </summary>
public sealed class TwoInstanceTests(TwoInstanceFixture apps) : IClassFixture<TwoInstanceFixture>
{
    private static readonly TimeSpan FeedWait = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task Concurrent_deliveries_of_one_call_to_both_instances_make_one_row_with_every_parameter()
    {
        var sid = Webhook.NewCallSid();
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
        {
            var parameters = Webhook.RestcommIncoming(sid);
            parameters[$"Delivery{i}"] = i.ToString();
            return apps.Both[i % 2].Client.PostFormAsync(i % 4 < 2 ? "/incoming" : "/status", parameters);
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await apps.First.Factory.QueryDatabaseAsync(db => db.Calls.CountAsync(c => c.CallSid == sid)));
        var call = await apps.Second.Agent.GetCallAsync(sid);
        for (var i = 0; i < 40; i++) Assert.Equal(i.ToString(), call.Parameters[$"Delivery{i}"]);
    }

    [Fact]
    public async Task A_call_created_by_the_other_instance_while_this_one_was_writing_it_is_merged_not_lost()
    {
        var sid = Webhook.NewCallSid();
        var queue = apps.First.Factory.Services.GetRequiredService<CallWriteQueue>();
        var looked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var release = new ManualResetEventSlim();
        var attempts = 0;

        // The first instance has read "no such call" and is about to insert it...
        var write = queue.WriteAsync(sid, createIfMissing: true, call =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                looked.TrySetResult();
                release.Wait(TimeSpan.FromSeconds(10));
            }
            call.Parameters["FromFirst"] = "yes";
        }, CancellationToken.None);
        await looked.Task.WaitAsync(TimeSpan.FromSeconds(10));
        // ...when the second instance stores it first.
        var parameters = Webhook.RestcommIncoming(sid);
        parameters["FromSecond"] = "yes";
        Assert.Equal(HttpStatusCode.OK, (await apps.Second.Client.PostFormAsync("/incoming", parameters)).StatusCode);
        release.Set();
        var written = await write;

        Assert.Equal(2, attempts); // its insert found the row taken, so the change was applied again to that row
        Assert.Equal(2, written!.Version);
        var stored = await apps.First.Agent.GetCallAsync(sid);
        Assert.Equal(("yes", "yes", "alice"), (stored.Parameters["FromFirst"], stored.Parameters["FromSecond"], stored.From));
    }

    [Fact]
    public async Task Many_new_calls_spread_over_both_instances_are_each_stored_once()
    {
        var sids = Enumerable.Range(0, 200).Select(_ => Webhook.NewCallSid()).ToList();
        var responses = await Task.WhenAll(sids.Select((sid, i) =>
            apps.Both[i % 2].Client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid, from: $"+1555000{i:D4}"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        var stored = await apps.Second.Factory.QueryDatabaseAsync(db =>
            db.Calls.AsNoTracking().Where(c => sids.Contains(c.CallSid)).Select(c => new { c.CallSid, c.From, c.Version }).ToListAsync());
        Assert.Equal(200, stored.Count);
        Assert.All(stored, c => Assert.Equal($"+1555000{sids.IndexOf(c.CallSid):D4}", c.From));
        Assert.All(stored, c => Assert.Equal(1, c.Version));
    }

    [Fact]
    public async Task Status_never_moves_backwards_whichever_instance_hears_it()
    {
        var sid = await apps.First.SeedCallAsync();
        await apps.Second.PostStatusAsync(sid, "completed");
        await Task.WhenAll(apps.First.PostStatusAsync(sid, "ringing"), apps.Second.PostStatusAsync(sid, "in-progress"));

        foreach (var app in apps.Both)
        {
            var call = await app.Agent.GetCallAsync(sid);
            Assert.Equal("completed", call.CallStatus);
            Assert.NotNull(call.EndedAt);
        }
    }

    [Fact]
    public async Task Concurrent_transfers_of_one_call_on_two_instances_one_wins_the_other_gets_409()
    {
        var sid = await apps.First.SeedCallAsync();
        apps.CallApi.WhenMentioned(sid, new ScriptedResponse(200, FakeCallApi.CallJson(sid, "in-progress", "inbound", "x", "y"),
            "application/json", TimeSpan.FromMilliseconds(400)));

        var responses = await Task.WhenAll(
            apps.First.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" }),
            apps.Second.PostTransferAsync(new { callSid = sid, to = "carol", mode = "cold" }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        Assert.Single(apps.CallApi.RequestsMentioning(sid));
    }

    [Fact]
    public async Task An_idempotency_key_replays_the_first_answer_on_the_other_instance_with_one_platform_request()
    {
        var sid = await apps.First.SeedCallAsync();
        var key = Guid.NewGuid().ToString();
        var body = new { callSid = sid, to = "alice", mode = "cold" };

        var first = await (await apps.First.PostTransferAsync(body, key)).ReadTransferAsync();
        var again = await apps.Second.PostTransferAsync(body, key);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.Id, (await again.ReadTransferAsync()).Id);
        Assert.Single(apps.CallApi.RequestsMentioning(sid));
    }

    [Fact]
    public async Task One_idempotency_key_sent_to_both_instances_at_once_makes_one_platform_request()
    {
        var sid = await apps.First.SeedCallAsync();
        apps.CallApi.WhenMentioned(sid, new ScriptedResponse(200, FakeCallApi.CallJson(sid, "in-progress", "inbound", "x", "y"),
            "application/json", TimeSpan.FromMilliseconds(300)));
        var key = Guid.NewGuid().ToString();
        var body = new { callSid = sid, to = "alice", mode = "cold" };

        var responses = await Task.WhenAll(apps.First.PostTransferAsync(body, key), apps.Second.PostTransferAsync(body, key));

        // One carried it out; the other either waited for it or was told it is still in progress: never a second request.
        Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"answered {r.StatusCode}"));
        Assert.Single(apps.CallApi.RequestsMentioning(sid));
        var replay = await (await apps.Second.PostTransferAsync(body, key)).ReadTransferAsync();
        Assert.Equal((await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ReadTransferAsync()).Id, replay.Id);
    }

    [Fact]
    public async Task Room_membership_is_the_same_whichever_instance_is_asked()
    {
        var customer = await apps.First.SeedCallAsync();
        var agentLeg = Webhook.NewCallSid();
        var room = "shared-" + Guid.NewGuid().ToString("N")[..8];

        // Each leg fetches the room's RCML through a different instance.
        Assert.Equal(HttpStatusCode.OK, (await apps.First.Client.PostFormAsync($"/Conference?room={room}",
            new Dictionary<string, string> { ["CallSid"] = customer, ["CallStatus"] = "in-progress" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await apps.Second.Client.PostFormAsync($"/Conference?room={room}",
            new Dictionary<string, string> { ["CallSid"] = agentLeg, ["CallStatus"] = "in-progress", ["Direction"] = "outbound-api" }))
            .StatusCode);

        foreach (var app in apps.Both)
        {
            var seen = await (await app.Agent.GetAsync($"/conferences/{room}")).ReadJsonAsync<ApiRoom>();
            Assert.Equal([customer, agentLeg], seen.Members.Select(m => m.CallSid));
            Assert.Equal("customer", seen.Members[0].Role);
        }

        // The agent's leg is moved elsewhere through the first instance: the second no longer shows it in the room.
        await apps.First.Client.PostFormAsync("/CallToAlice", new Dictionary<string, string> { ["CallSid"] = agentLeg });
        var after = await (await apps.Second.Agent.GetAsync($"/conferences/{room}")).ReadJsonAsync<ApiRoom>();
        Assert.Equal([customer], after.Members.Select(m => m.CallSid));
    }

    [Fact]
    public async Task A_change_made_through_one_instance_reaches_the_console_of_the_other_within_a_second()
    {
        await using var console = await EventStreamReader.OpenAsync(apps.Second.Agent);
        Assert.Equal("snapshot", (await console.NextAsync(TimeSpan.FromSeconds(8))).Type);

        var sid = Webhook.NewCallSid();
        await apps.First.Client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid));
        var added = await console.NextMatchingAsync(e => e.Data.Calls.Any(c => c.CallSid == sid), FeedWait);
        Assert.Equal("calls", added.Type);

        var transfer = await (await apps.First.PostTransferAsync(new { callSid = sid, to = "carol", mode = "cold" })).ReadTransferAsync();
        await console.NextMatchingAsync(e => e.Data.Calls.Any(c => c.CallSid == sid && c.Transfers.Any(t => t.Id == transfer.Id)),
            FeedWait);
    }
}
