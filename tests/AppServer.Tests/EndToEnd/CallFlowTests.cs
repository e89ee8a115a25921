using AppServer.Tests.Infrastructure;
using static AppServer.Tests.EndToEnd.EndToEndFixture;

namespace AppServer.Tests.EndToEnd;

/// <summary>
/// The whole chain against the CallAPI emulator: webhook → RCML → live modification → outgoing calls → callbacks.
/// Waits use the emulator's idle signal and bounded polling only.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CallFlowTests(EndToEndFixture e2e)
{
    [Fact]
    public async Task Incoming_call_is_stored_and_the_caller_is_bridged_to_bob()
    {
        var sid = await e2e.IncomingAsync("+15551234567", SupportDid);

        var stored = await e2e.Agent.GetCallAsync(sid);
        Assert.Equal("+15551234567", stored.From);
        Assert.Equal(SupportDid, stored.To);
        Assert.Equal("bob", stored.Agent);

        var bob = await e2e.PartnerOfAsync(sid);
        Assert.NotNull(bob);
        Assert.Equal("client:bob", ToOf(bob.Value));
        Assert.Equal("in-progress", StatusOf(bob.Value));
        Assert.Equal("in-progress", StatusOf(await e2e.LegAsync(sid)));
    }

    [Fact]
    public async Task Cold_transfer_ends_bobs_leg_and_bridges_the_caller_to_alice()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        var bob = SidOf((await e2e.PartnerOfAsync(sid))!.Value);

        var transfer = await e2e.Agent.PostActionAsync("/transfer", new { callSid = sid, to = "alice", mode = "cold" });
        Assert.Equal("completed", transfer.State);
        await e2e.IdleAsync();

        Assert.Equal("completed", StatusOf(await e2e.LegAsync(bob)));
        var alice = await e2e.PartnerOfAsync(sid);
        Assert.NotNull(alice);
        Assert.Equal("client:alice", ToOf(alice.Value));
        Assert.Equal("in-progress", StatusOf(await e2e.LegAsync(sid)));

        var record = await e2e.Agent.GetTransferAsync(transfer.Id);
        Assert.Equal("completed", record.State);
    }

    [Fact]
    public async Task Conference_holds_caller_bob_carol_by_sip_and_an_invited_number()
    {
        var caller = e2e.NewCaller();
        var sid = await e2e.IncomingAsync(caller);
        var room = "e2e-room-" + sid[^6..];

        var transfer = await e2e.Agent.PostActionAsync("/transfer",
            new { callSid = sid, to = "sip:carol@example.com", mode = "conference", room });
        Assert.Equal("completed", transfer.State);
        await e2e.IdleAsync();

        var members = await e2e.MembersOfAsync(room);
        Assert.Contains(members, m => m.GetProperty("call_sid").GetString() == sid);
        Assert.Contains(members, m => m.GetProperty("to").GetString() == "client:bob");
        Assert.Contains(members, m => m.GetProperty("to").GetString() == "sip:carol@example.com");
        Assert.Equal(3, members.Count);

        var invite = await e2e.Agent.PostActionAsync($"/conferences/{room}/participants", new { to = "+15557654321" });
        Assert.Equal("completed", invite.State);
        await e2e.IdleAsync();

        members = await e2e.MembersOfAsync(room);
        Assert.Equal(4, members.Count);
        Assert.Contains(members, m => m.GetProperty("to").GetString() == "+15557654321");
        // Every participant the server called sees the customer's number.
        Assert.All(members.Where(m => m.GetProperty("call_sid").GetString() != sid),
            m => Assert.Equal(caller, m.GetProperty("from").GetString()));
    }

    [Fact]
    public async Task Conference_with_move_connected_call_leg_takes_bobs_own_leg_into_the_room()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        var bob = SidOf((await e2e.PartnerOfAsync(sid))!.Value);
        var room = "e2e-move-" + sid[^6..];

        var transfer = await e2e.Agent.PostActionAsync("/transfer",
            new { callSid = sid, to = "carol", mode = "conference", room, moveConnectedCallLeg = true });
        Assert.Equal("completed", transfer.State);
        await e2e.IdleAsync();

        // Bob is not called back: his existing leg moved with the caller's.
        var members = (await e2e.MembersOfAsync(room)).Select(m => m.GetProperty("call_sid").GetString()).ToList();
        Assert.Contains(sid, members);
        Assert.Contains(bob, members);
        Assert.Equal(3, members.Count);
        Assert.Single(transfer.CreatedCallSids);
    }

    [Fact]
    public async Task Mute_and_unmute_reach_the_platform_leg()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller());

        await e2e.Agent.PostActionAsync($"/calls/{sid}/mute", new { muted = true });
        Assert.True((await e2e.PlatformCallAsync(sid)).GetProperty("muted").GetBoolean());
        Assert.True((await e2e.Agent.GetCallAsync(sid)).Muted);

        await e2e.Agent.PostActionAsync($"/calls/{sid}/mute", new { muted = false });
        Assert.False((await e2e.PlatformCallAsync(sid)).GetProperty("muted").GetBoolean());
        Assert.False((await e2e.Agent.GetCallAsync(sid)).Muted);

        Assert.Equal("in-progress", StatusOf(await e2e.LegAsync(sid)));
        Assert.Contains("muted", ActivityOf(await e2e.LegAsync(sid)));
        Assert.Contains("unmuted", ActivityOf(await e2e.LegAsync(sid)));
    }

    [Fact]
    public async Task Hangup_of_a_live_call_completes_it_on_the_platform_and_in_the_store()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        var bob = SidOf((await e2e.PartnerOfAsync(sid))!.Value);

        var action = await e2e.Agent.PostActionAsync($"/calls/{sid}/hangup");
        Assert.Equal("completed", action.State);
        await e2e.IdleAsync();

        Assert.Equal("completed", StatusOf(await e2e.LegAsync(sid)));
        Assert.Equal("completed", StatusOf(await e2e.LegAsync(bob)));
        var stored = await e2e.Agent.GetCallAsync(sid);
        Assert.Equal("completed", stored.CallStatus);
    }

    [Fact]
    public async Task Caller_hanging_up_reaches_the_store_through_the_status_callback()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        Assert.NotEqual("completed", (await e2e.Agent.GetCallAsync(sid)).CallStatus);

        // The person hangs up: AppServer sent nothing, so only the platform's status callback can tell it.
        await e2e.ControlAsync(sid, "hangup");
        await e2e.IdleAsync();

        Assert.Equal("completed", StatusOf(await e2e.LegAsync(sid)));
        var stored = await e2e.Agent.GetCallAsync(sid);
        Assert.Equal("completed", stored.CallStatus);
        Assert.Empty(stored.Transfers);
    }

    [Fact]
    public async Task Call_ringing_inside_a_dial_ignores_canceled_and_is_stopped_by_completed()
    {
        // Dave never picks up on his own: the caller's Dial keeps ringing him.
        var sid = await e2e.IncomingAsync(e2e.NewCaller(), SlowAgentDid);
        var caller = await e2e.LegAsync(sid);
        var dave = Assert.Single(caller.GetProperty("ringing").EnumerateArray()).GetString()!;
        Assert.Equal("client:dave", ToOf(await e2e.LegAsync(dave)));

        // canceled has no effect on a call executing a Dial (docs/platform.md §4.2).
        var canceled = await e2e.Platform.PostAsync($"{e2e.CallsPath}/{sid}.json", Form(("Status", "canceled")));
        Assert.True(canceled.IsSuccessStatusCode);
        await e2e.IdleAsync();
        Assert.False(IsEnded(StatusOf(await e2e.LegAsync(sid))));
        Assert.Equal("ringing", StatusOf(await e2e.LegAsync(dave)));

        // AppServer's hang-up therefore sends completed, which ends the caller and the ringing target.
        var action = await e2e.Agent.PostActionAsync($"/calls/{sid}/hangup");
        var form = action.Requests
            .Single(r => r.Path.EndsWith($"/Calls/{sid}.json", StringComparison.Ordinal) && r.Form.ContainsKey("Status"))
            .Form;
        Assert.Equal("completed", form["Status"]);
        await e2e.IdleAsync();

        Assert.Equal("completed", StatusOf(await e2e.LegAsync(sid)));
        Assert.True(IsEnded(StatusOf(await e2e.LegAsync(dave))), "dave's ringing leg should have ended");
        Assert.Equal("completed", (await e2e.Agent.GetCallAsync(sid)).CallStatus);
    }

    [Theory]
    [InlineData(AppDownDid)]
    [InlineData(AppErrorDid)]
    public async Task Platform_uses_the_fallback_url_when_the_application_fails(string did)
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller(), did);

        var leg = await e2e.LegAsync(sid);
        var activity = ActivityOf(leg);
        Assert.Contains("say: We are sorry, an application error occurred. Goodbye.", activity);
        Assert.Contains("hangup", activity);
        Assert.Equal("completed", StatusOf(leg));
    }

    [Fact]
    public async Task Stored_calls_match_the_platform_at_the_end_of_a_conference_flow()
    {
        var sid = await e2e.IncomingAsync(e2e.NewCaller());
        var room = "e2e-end-" + sid[^6..];
        var transfer = await e2e.Agent.PostActionAsync("/transfer", new { callSid = sid, to = "carol", mode = "conference", room });
        await e2e.IdleAsync();
        var invite = await e2e.Agent.PostActionAsync($"/conferences/{room}/participants", new { to = "+15557650000" });
        await e2e.IdleAsync();

        var sids = new List<string> { sid };
        sids.AddRange(transfer.CreatedCallSids);
        sids.AddRange(invite.CreatedCallSids);
        Assert.Equal(4, sids.Count);
        Assert.Equal(4, (await e2e.MembersOfAsync(room)).Count);

        // The agent hangs up the customer; AppServer then ends the room, hanging up everybody else in it.
        await e2e.Agent.PostActionAsync($"/calls/{sid}/hangup");
        await Eventually.HoldsAsync(async () => (await e2e.StateAsync()).Calls.Where(l => sids.Contains(l.Call.Sid))
            .All(l => l.Call.Status == "completed"), "every leg of the room to end");
        await e2e.IdleAsync();

        foreach (var callSid in sids)
        {
            var truth = (await e2e.PlatformCallAsync(callSid)).GetProperty("status").GetString();
            await Eventually.HoldsAsync(
                async () => (await e2e.Agent.GetCallAsync(callSid)).CallStatus == truth,
                $"AppServer's status of {callSid} to match the platform's '{truth}'");
            Assert.Equal("completed", truth);
        }
        Assert.Empty(await e2e.MembersOfAsync(room));
    }

    private static bool IsEnded(string status) => status is "completed" or "canceled" or "busy" or "no-answer" or "failed";
}
