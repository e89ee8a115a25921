using AppServer.Tests.Infrastructure;
using CallApi.Emulator;
using CallApi.Emulator.Control;
using static AppServer.Tests.EndToEnd.EndToEndFixture;

namespace AppServer.Tests.EndToEnd;

/// <summary>
/// Hold, warm transfer, remove and end against the emulator, which moves legs as docs/platform.md §8 says the platform
/// does: at each step, what the customer, the agent and the target actually hear.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CallControlFlowTests(EndToEndFixture e2e)
{
    private static bool Music(HearsView h) => h.Kind == HearsKind.Music;

    private static Func<HearsView, bool> HearsOnly(params string[] callSids) =>
        h => h.Kind is HearsKind.Partner or HearsKind.Conference && h.CallSids.Order().SequenceEqual(callSids.Order());

    private static bool Silence(HearsView h) => h.Kind == HearsKind.Silence;

    /// <summary>A customer talking with bob; bob's leg's sid.</summary>
    private async Task<(string Customer, string Bob)> TalkingWithBobAsync()
    {
        var customer = await e2e.IncomingAsync(e2e.NewCaller());
        var bob = Assert.Single((await e2e.Agent.GetCallAsync(customer)).Legs).CallSid;
        await e2e.HearsEventuallyAsync(customer, HearsOnly(bob), "the customer hears bob");
        return (customer, bob);
    }

    [Fact]
    public async Task Holding_the_customer_plays_music_to_it_alone_and_unhold_brings_bob_back()
    {
        var (customer, bob) = await TalkingWithBobAsync();

        var hold = await e2e.Agent.PostActionAsync($"/calls/{customer}/hold", new { hold = true });
        await e2e.IdleAsync();

        var music = await e2e.HearsEventuallyAsync(customer, Music, "the customer hears hold music");
        Assert.EndsWith("/audio/hold-music.wav", music.Url);
        // Bob was moved too (his own CallSid, same Url): he waits alone in the hold's room and hears nobody.
        var alone = await e2e.HearsEventuallyAsync(bob, Silence, "bob hears nobody");
        Assert.Equal(hold.Room, alone.Room);
        Assert.Equal("on-hold", (await e2e.Agent.GetCallAsync(customer)).State);

        await e2e.Agent.PostActionAsync($"/calls/{customer}/hold", new { hold = false });
        await e2e.IdleAsync();

        await e2e.HearsEventuallyAsync(customer, HearsOnly(bob), "the customer hears bob again");
        await e2e.HearsEventuallyAsync(bob, HearsOnly(customer), "bob hears the customer again");
        Assert.Equal("talking", (await e2e.Agent.GetCallAsync(customer)).State);
    }

    [Fact]
    public async Task Holding_bobs_side_plays_music_to_bob_and_the_customer_hears_nobody_until_unhold()
    {
        var (customer, bob) = await TalkingWithBobAsync();

        await e2e.Agent.PostActionAsync($"/calls/{bob}/hold", new { hold = true });
        await e2e.IdleAsync();

        await e2e.HearsEventuallyAsync(bob, Music, "bob hears hold music");
        await e2e.HearsEventuallyAsync(customer, Silence, "the customer hears nobody");

        await e2e.Agent.PostActionAsync($"/calls/{bob}/hold", new { hold = false });
        await e2e.IdleAsync();
        await e2e.HearsEventuallyAsync(customer, HearsOnly(bob), "they hear each other again");
    }

    [Fact]
    public async Task A_muted_customer_stays_muted_through_hold_and_unhold()
    {
        var (customer, bob) = await TalkingWithBobAsync();
        await e2e.Agent.PostActionAsync($"/calls/{customer}/mute", new { muted = true });

        await e2e.Agent.PostActionAsync($"/calls/{customer}/hold", new { hold = true });
        await e2e.IdleAsync();
        Assert.True((await e2e.PlatformCallAsync(customer)).GetProperty("muted").GetBoolean());
        await e2e.Agent.PostActionAsync($"/calls/{customer}/hold", new { hold = false });
        await e2e.IdleAsync();

        Assert.True((await e2e.PlatformCallAsync(customer)).GetProperty("muted").GetBoolean());
        // Muted: bob hears nobody, the customer still hears bob.
        await e2e.HearsEventuallyAsync(customer, HearsOnly(bob), "the customer hears bob");
        await e2e.HearsEventuallyAsync(bob, h => h.Kind == HearsKind.Conference && h.CallSids.Count == 0,
            "bob does not hear the muted customer");
    }

    [Fact]
    public async Task Holding_a_room_member_takes_only_it_out_of_the_room_and_unhold_puts_it_back()
    {
        var customer = await e2e.IncomingAsync(e2e.NewCaller());
        var room = "e2e-hold-room-" + customer[^6..];
        var transfer = await e2e.Agent.PostActionAsync("/transfer", new
        {
            callSid = customer, to = "+15557653333", mode = "conference",
            room
        });
        await e2e.IdleAsync();
        var (bob, guest) = (transfer.CreatedCallSids[0], transfer.CreatedCallSids[1]);
        await e2e.HearsEventuallyAsync(customer, HearsOnly(bob, guest), "the customer hears bob and the guest");

        await e2e.Agent.PostActionAsync($"/calls/{guest}/hold", new { hold = true });
        await e2e.IdleAsync();

        await e2e.HearsEventuallyAsync(guest, Music, "the guest hears music");
        await e2e.HearsEventuallyAsync(customer, HearsOnly(bob), "the customer hears bob only");
        await e2e.HearsEventuallyAsync(bob, HearsOnly(customer), "bob hears the customer only");
        var roster = await (await e2e.Agent.GetAsync($"/conferences/{room}")).ReadJsonAsync<ApiRoom>();
        Assert.True(roster.Members.Single(m => m.CallSid == guest).OnHold);

        await e2e.Agent.PostActionAsync($"/calls/{guest}/hold", new { hold = false });
        await e2e.IdleAsync();
        await e2e.HearsEventuallyAsync(guest, HearsOnly(customer, bob), "the guest is back in the room");
    }

    [Fact]
    public async Task A_completed_warm_transfer_consults_alice_while_the_customer_hears_music_then_hands_the_customer_over()
    {
        var (customer, bob) = await TalkingWithBobAsync();

        var warm = await e2e.Agent.PostActionAsync("/transfer", new { callSid = customer, to = "alice", mode = "warm" });
        Assert.Equal("consulting", warm.State);
        await e2e.IdleAsync();
        var alice = Assert.Single(warm.CreatedCallSids);

        await e2e.HearsEventuallyAsync(customer, Music, "the customer hears music during the consult");
        await e2e.HearsEventuallyAsync(bob, HearsOnly(alice), "bob talks with alice");
        await e2e.HearsEventuallyAsync(alice, HearsOnly(bob), "alice talks with bob");
        await Eventually.HoldsAsync(async () => (await e2e.Agent.GetTransferAsync(warm.Id)).Outcome == "connected", "alice answered");

        var completed = await e2e.Agent.PostActionAsync($"/transfers/{warm.Id}/complete");
        Assert.Equal("completed", completed.State);
        await e2e.IdleAsync();

        await e2e.HearsEventuallyAsync(customer, HearsOnly(alice), "the customer talks with alice");
        await e2e.HearsEventuallyAsync(alice, HearsOnly(customer), "alice talks with the customer");
        Assert.Null(await e2e.HearsAsync(bob)); // bob's leg was released
    }

    [Fact]
    public async Task A_canceled_warm_transfer_hangs_up_alice_and_the_customer_is_back_with_bob()
    {
        var (customer, bob) = await TalkingWithBobAsync();
        var warm = await e2e.Agent.PostActionAsync("/transfer", new { callSid = customer, to = "alice", mode = "warm" });
        await e2e.IdleAsync();
        var alice = Assert.Single(warm.CreatedCallSids);
        await e2e.HearsEventuallyAsync(bob, HearsOnly(alice), "bob talks with alice");

        var canceled = await e2e.Agent.PostActionAsync($"/transfers/{warm.Id}/cancel");
        Assert.Equal("canceled", canceled.State);
        await e2e.IdleAsync();

        Assert.Null(await e2e.HearsAsync(alice));
        await e2e.HearsEventuallyAsync(customer, HearsOnly(bob), "the customer is back with bob");
        await e2e.HearsEventuallyAsync(bob, HearsOnly(customer), "bob is back with the customer");
    }

    [Fact]
    public async Task A_warm_transfer_target_that_does_not_answer_returns_the_customer_to_bob_by_itself()
    {
        var busy = "+1555888" + Random.Shared.Next(1000, 9999);
        e2e.Emulator.Scenario().Set(busy, "busy");
        var (customer, bob) = await TalkingWithBobAsync();

        var warm = await e2e.Agent.PostActionAsync("/transfer", new { callSid = customer, to = busy, mode = "warm" });
        await e2e.IdleAsync();

        await Eventually.HoldsAsync(async () => (await e2e.Agent.GetTransferAsync(warm.Id)).State == "canceled", "canceled by itself");
        await e2e.IdleAsync();
        var record = await e2e.Agent.GetTransferAsync(warm.Id);
        Assert.Equal("not-connected", record.Outcome);
        Assert.Contains("did not answer", record.FailureReason);
        await e2e.HearsEventuallyAsync(customer, HearsOnly(bob), "the customer is back with bob");
    }

    [Fact]
    public async Task Three_way_then_leave_bob_brings_the_customer_into_the_consult_then_leaves_it_to_alice()
    {
        var (customer, bob) = await TalkingWithBobAsync();
        var warm = await e2e.Agent.PostActionAsync("/transfer", new { callSid = customer, to = "alice", mode = "warm" });
        await e2e.IdleAsync();
        var alice = Assert.Single(warm.CreatedCallSids);
        await e2e.HearsEventuallyAsync(bob, HearsOnly(alice), "bob talks with alice");

        // Off hold into the consult room: all three talk.
        await e2e.Agent.PostActionAsync($"/calls/{customer}/hold", new { hold = false });
        await e2e.IdleAsync();
        await e2e.HearsEventuallyAsync(customer, HearsOnly(bob, alice), "the customer hears bob and alice");

        await e2e.Agent.PostActionAsync($"/transfers/{warm.Id}/complete");
        await e2e.IdleAsync();

        await e2e.HearsEventuallyAsync(customer, HearsOnly(alice), "the customer is left with alice");
        Assert.Null(await e2e.HearsAsync(bob));
    }

    [Fact]
    public async Task When_the_customer_hangs_up_during_a_consult_bob_and_alice_are_hung_up_too()
    {
        var (customer, bob) = await TalkingWithBobAsync();
        var warm = await e2e.Agent.PostActionAsync("/transfer", new { callSid = customer, to = "alice", mode = "warm" });
        await e2e.IdleAsync();
        var alice = Assert.Single(warm.CreatedCallSids);
        await e2e.HearsEventuallyAsync(bob, HearsOnly(alice), "bob talks with alice");

        await e2e.ControlAsync(customer, "hangup");

        await Eventually.HoldsAsync(async () => await e2e.HearsAsync(bob) is null && await e2e.HearsAsync(alice) is null,
            "bob and alice are hung up");
        await e2e.IdleAsync();
        Assert.Equal("canceled", (await e2e.Agent.GetTransferAsync(warm.Id)).State);
    }

    [Fact]
    public async Task Removing_a_guest_and_ending_the_room_hang_up_exactly_those_legs()
    {
        var customer = await e2e.IncomingAsync(e2e.NewCaller());
        var room = "e2e-remove-" + customer[^6..];
        var transfer = await e2e.Agent.PostActionAsync("/transfer", new
        {
            callSid = customer, to = "+15557654444", mode = "conference",
            room
        });
        await e2e.IdleAsync();
        var (bob, guest) = (transfer.CreatedCallSids[0], transfer.CreatedCallSids[1]);

        await e2e.Agent.DeleteAsync($"/conferences/{room}/participants/{guest}");
        await e2e.IdleAsync();

        Assert.Null(await e2e.HearsAsync(guest));
        await e2e.HearsEventuallyAsync(customer, HearsOnly(bob), "the customer and bob go on");

        var end = await e2e.Agent.PostActionAsync($"/conferences/{room}/end");
        Assert.Equal("end-room", end.Mode);
        await e2e.IdleAsync();
        Assert.Null(await e2e.HearsAsync(customer));
        Assert.Null(await e2e.HearsAsync(bob));
        Assert.Empty(await e2e.MembersOfAsync(room));
    }
}
