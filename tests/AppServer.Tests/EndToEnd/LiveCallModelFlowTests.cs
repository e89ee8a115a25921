using AppServer.Reconciliation;
using AppServer.Tests.Infrastructure;
using CallApi.Emulator;
using CallApi.Emulator.Control;
using Microsoft.Extensions.DependencyInjection;
using static AppServer.Tests.EndToEnd.EndToEndFixture;

namespace AppServer.Tests.EndToEnd;

/// <summary>
/// The live call model against the emulator, which does with legs what docs/platform.md §8 says the platform does: what
/// AppServer shows (state, legs, outcome, rooms) is checked against what each party actually hears.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LiveCallModelFlowTests(EndToEndFixture e2e)
{
    [Fact]
    public async Task An_incoming_call_bob_answered_is_talking_with_bobs_leg_listed_and_they_hear_each_other()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller());

        var call = await e2e.Agent.GetCallAsync(sid);
        Assert.Equal("in-progress", call.CallStatus);
        Assert.Equal("talking", call.State);
        var bob = Assert.Single(call.Legs);
        Assert.Equal("bob", bob.Agent);
        Assert.Equal("talking", bob.State);
        Assert.Equal(bob.AnsweredAt, call.TalkingSince);

        Assert.Equal([bob.CallSid], (await e2e.HearsAsync(sid))!.CallSids);
        Assert.Equal(HearsKind.Partner, (await e2e.HearsAsync(bob.CallSid))!.Kind);
        Assert.Equal([sid], (await e2e.HearsAsync(bob.CallSid))!.CallSids);
    }

    [Fact]
    public async Task A_call_still_ringing_its_agent_shows_ringing_and_the_caller_hears_ringback()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller(), SlowAgentDid);

        var call = await e2e.Agent.GetCallAsync(sid);
        Assert.Equal("ringing", call.State);
        Assert.Equal("ringing", Assert.Single(call.Legs).State);
        Assert.Equal(HearsKind.Ringback, (await e2e.HearsAsync(sid))!.Kind);

        await e2e.Agent.PostActionAsync($"/calls/{sid}/hangup");
        await e2e.IdleAsync();
    }

    [Fact]
    public async Task A_cold_transfer_alice_answers_is_connected_and_the_caller_hears_alice()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller());

        var transfer = await e2e.Agent.PostActionAsync("/transfer", new { callSid = sid, to = "alice", mode = "cold" });
        Assert.Equal("accepted", transfer.Outcome);
        await e2e.IdleAsync();

        await Eventually.HoldsAsync(async () => (await e2e.Agent.GetTransferAsync(transfer.Id)).Outcome == "connected", "connected");
        var decided = await e2e.Agent.GetTransferAsync(transfer.Id);
        var hears = await e2e.HearsAsync(sid);
        Assert.Equal(HearsKind.Partner, hears!.Kind);
        Assert.Equal([decided.TargetCallSid!], hears.CallSids);
        Assert.Equal("client:alice", (await e2e.StateAsync()).Calls.Single(l => l.Call.Sid == decided.TargetCallSid).Call.To);
        var call = await e2e.Agent.GetCallAsync(sid);
        Assert.Equal("talking", call.State);
        Assert.Equal(decided.TargetCallSid, call.Legs.Single(l => l.State == "talking").CallSid);
    }

    [Fact]
    public async Task A_cold_transfer_to_a_busy_number_is_not_connected_and_the_caller_is_offered_voicemail()
    {
        var busy = "+1555999" + Random.Shared.Next(1000, 9999);
        e2e.Emulator.Scenario().Set(busy, "busy");
        var sid = await e2e.IncomingAsync(e2e.NewCaller());

        var transfer = await e2e.Agent.PostActionAsync("/transfer", new { callSid = sid, to = busy, mode = "cold" });
        await e2e.IdleAsync();

        await Eventually.HoldsAsync(async () => (await e2e.Agent.GetTransferAsync(transfer.Id)).OutcomeDetail == "busy",
            "not connected: busy; " + ApiJson.Serialize(await e2e.Agent.GetTransferAsync(transfer.Id))
            + string.Join(" | ", (await e2e.StateAsync()).Calls.Where(l => l.Call.Sid == sid).SelectMany(l => l.Activity)));
        Assert.Equal("not-connected", (await e2e.Agent.GetTransferAsync(transfer.Id)).Outcome);
        // What the caller hears then: the voicemail prompt of /dial-action, then the platform hangs up.
        var caller = (await e2e.StateAsync()).Calls.Single(l => l.Call.Sid == sid);
        Assert.Contains("say: Nobody is available to take your call. Please leave a message after the beep.", caller.Activity);
        Assert.Equal("completed", caller.Call.Status);
    }

    [Fact]
    public async Task A_conferences_roster_follows_joins_and_leaves()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        var bob = Assert.Single((await e2e.Agent.GetCallAsync(sid)).Legs).CallSid;
        var room = "e2e-roster-" + sid[^6..];

        var transfer = await e2e.Agent.PostActionAsync("/transfer", new { callSid = sid, to = "+15557651111", mode = "conference", room });
        await e2e.IdleAsync();

        var roster = await (await e2e.Agent.GetAsync($"/conferences/{room}")).ReadJsonAsync<ApiRoom>();
        Assert.Equal(3, roster.Members.Count);
        Assert.Equal("customer", roster.Members.Single(m => m.CallSid == sid).Role);
        Assert.Equal("agent", roster.Members.Single(m => m.Agent == "bob").Role);
        var guest = roster.Members.Single(m => m.Role == "guest");
        Assert.Equal("+15557651111", guest.To);
        // The emulator's room holds the same three, and each hears the other two.
        var hears = await e2e.HearsAsync(sid);
        Assert.Equal(HearsKind.Conference, hears!.Kind);
        Assert.Equal(roster.Members.Where(m => m.CallSid != sid).Select(m => m.CallSid).Order(), hears.CallSids.Order());
        // Bob's first leg was hung up when the caller moved: the call back is a new leg.
        Assert.NotEqual(bob, roster.Members.Single(m => m.Agent == "bob").CallSid);
        Assert.Contains(roster.Members.Single(m => m.Agent == "bob").CallSid, transfer.CreatedCallSids);

        await e2e.ControlAsync(guest.CallSid, "hangup");
        await e2e.IdleAsync();

        await Eventually.HoldsAsync(async () =>
            (await (await e2e.Agent.GetAsync($"/conferences/{room}")).ReadJsonAsync<ApiRoom>()).Members.Count == 2, "the guest left");
        Assert.Equal(2, (await e2e.HearsAsync(sid))!.CallSids.Count + 1);
    }

    [Fact]
    public async Task When_the_customer_hangs_up_everyone_left_in_the_room_is_hung_up()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        var room = "e2e-lifetime-" + sid[^6..];
        var transfer = await e2e.Agent.PostActionAsync("/transfer", new
        {
            callSid = sid, to = "sip:carol@example.com", mode = "conference",
            room
        });
        await e2e.IdleAsync();
        var invite = await e2e.Agent.PostActionAsync($"/conferences/{room}/participants", new { to = "+15557652222" });
        await e2e.IdleAsync();
        var others = transfer.CreatedCallSids.Concat(invite.CreatedCallSids).ToList();
        Assert.Equal(3, others.Count);

        // The customer hangs up: nobody asked AppServer; only the platform's status callback tells it.
        await e2e.ControlAsync(sid, "hangup");

        await Eventually.HoldsAsync(async () => (await e2e.StateAsync()).Calls.Where(l => others.Contains(l.Call.Sid))
            .All(l => l.Call.Status == "completed"), "the agent and both guests are hung up");
        await e2e.IdleAsync();
        Assert.All(others, o => Assert.Null(e2e.HearsAsync(o).GetAwaiter().GetResult()));
        Assert.Empty(await e2e.MembersOfAsync(room));
        var end = Assert.Single((await e2e.Agent.GetCallAsync(sid)).Transfers, t => t.Mode == "end-room");
        Assert.Equal("completed", end.State);
    }

    [Fact]
    public async Task A_call_the_platform_forgot_is_ended_by_reconciliation()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        var bob = Assert.Single((await e2e.Agent.GetCallAsync(sid)).Legs).CallSid;
        await e2e.ControlAsync(sid, "forget");
        await e2e.ControlAsync(bob, "forget");
        Assert.Equal("in-progress", (await e2e.Agent.GetCallAsync(sid)).CallStatus);

        var reconciler = e2e.AppServer.Services.GetRequiredService<CallReconciler>();
        await reconciler.RoundAsync(new ReconciliationOptions { MaxReadsPerMinute = 6000 }, CancellationToken.None);

        var call = await e2e.Agent.GetCallAsync(sid);
        Assert.Equal("completed", call.CallStatus);
        Assert.Equal("ended", call.State);
        Assert.Equal("ended", (await e2e.Agent.GetCallAsync(bob)).State);
    }
}
