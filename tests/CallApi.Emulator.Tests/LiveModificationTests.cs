using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>POST …/Calls/{CallSid} exactly as docs/platform.md §4 describes it.</summary>
public sealed class LiveModificationTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    /// <summary>A caller bridged to an answering client; returns (caller, callee).</summary>
    private async Task<(string Caller, string Callee)> BridgedCallAsync(string p, string client)
    {
        var caller = await fx.AnsweredCallRunningAsync(p + "/dial", $"<Response><Dial><Client>{client}</Client></Dial></Response>");
        var callee = Assert.Single(await fx.ChildrenOfAsync(caller)).GetProperty("sid").GetString()!;
        Assert.Equal("in-progress", await fx.StatusOfAsync(callee));
        return (caller, callee);
    }

    private string ConferenceScript(string p, string room) =>
        fx.App.Script(p + "/conference", $"<Response><Dial><Conference>{room}</Conference></Dial></Response>");

    [Fact]
    public async Task Url_on_the_caller_redirects_it_and_hangs_up_its_dial_partner()
    {
        var p = fx.NewPrefix();
        var (caller, callee) = await BridgedCallAsync(p, "alice");

        var response = await fx.ModifyAsync(caller, ("Url", ConferenceScript(p, p + "-room")));
        await fx.IdleAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("completed", await fx.StatusOfAsync(callee));
        Assert.Equal("in-progress", await fx.StatusOfAsync(caller));
        Assert.Equal(caller, fx.App.SingleRequestTo(p + "/conference")["CallSid"]);
        Assert.Equal([caller], (await fx.MembersOfAsync(p + "-room")).Select(m => m.GetProperty("call_sid").GetString()));
    }

    [Fact]
    public async Task Url_on_the_callee_hangs_up_the_caller()
    {
        var p = fx.NewPrefix();
        var (caller, callee) = await BridgedCallAsync(p, "bob");

        await fx.ModifyAsync(callee, ("Url", ConferenceScript(p, p + "-room")));
        await fx.IdleAsync();

        Assert.Equal("completed", await fx.StatusOfAsync(caller));
        Assert.Equal("in-progress", await fx.StatusOfAsync(callee));
        Assert.Equal(callee, fx.App.SingleRequestTo(p + "/conference")["CallSid"]);
    }

    [Fact]
    public async Task Url_on_the_caller_cancels_every_target_still_ringing()
    {
        var p = fx.NewPrefix();
        fx.Emulator.Scenario().Set("client:carol", "manual");
        fx.Emulator.Scenario().Set("client:dave", "manual");
        var caller = await fx.AnsweredCallRunningAsync(p + "/dial",
            "<Response><Dial><Client>carol</Client><Client>dave</Client></Dial></Response>");
        Assert.Equal(2, (await fx.LegAsync(caller)).GetProperty("ringing").GetArrayLength());

        await fx.ModifyAsync(caller, ("Url", ConferenceScript(p, p + "-room")));
        await fx.IdleAsync();

        Assert.All(await fx.ChildrenOfAsync(caller), c => Assert.Equal("canceled", c.GetProperty("status").GetString()));
        Assert.Equal("in-progress", await fx.StatusOfAsync(caller));
    }

    [Fact]
    public async Task MoveConnectedCallLeg_sends_both_legs_to_the_new_url()
    {
        var p = fx.NewPrefix();
        var (caller, callee) = await BridgedCallAsync(p, "erin");

        await fx.ModifyAsync(caller, ("Url", ConferenceScript(p, p + "-room")), ("MoveConnectedCallLeg", "true"));
        await fx.IdleAsync();

        Assert.Equal("in-progress", await fx.StatusOfAsync(caller));
        Assert.Equal("in-progress", await fx.StatusOfAsync(callee));
        var fetchedFor = fx.App.RequestsTo(p + "/conference").Select(r => r["CallSid"]).Order().ToList();
        Assert.Equal(new[] { caller, callee }.Order(), fetchedFor);
        var members = (await fx.MembersOfAsync(p + "-room")).Select(m => m.GetProperty("call_sid").GetString()).Order();
        Assert.Equal(new[] { caller, callee }.Order(), members);
    }

    [Fact]
    public async Task Canceled_has_no_effect_on_an_in_progress_call()
    {
        var p = fx.NewPrefix();
        var (caller, _) = await BridgedCallAsync(p, "frank");

        var response = await fx.ModifyAsync(caller, ("Status", "canceled"));
        await fx.IdleAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("in-progress", await fx.StatusOfAsync(caller));
    }

    [Fact]
    public async Task Party_ringing_inside_a_dial_counts_as_in_progress_canceled_ignored_completed_hangs_up()
    {
        var p = fx.NewPrefix();
        fx.Emulator.Scenario().Set("client:grace", "manual");
        var caller = await fx.AnsweredCallRunningAsync(p + "/dial",
            $"<Response><Dial action=\"{p}/action\"><Client>grace</Client></Dial></Response>");
        var ringing = Assert.Single(await fx.ChildrenOfAsync(caller)).GetProperty("sid").GetString()!;

        await fx.ModifyAsync(ringing, ("Status", "canceled"));
        await fx.IdleAsync();
        Assert.Equal("ringing", await fx.StatusOfAsync(ringing));

        await fx.ModifyAsync(ringing, ("Status", "completed"));
        await fx.IdleAsync();
        Assert.Equal("canceled", await fx.StatusOfAsync(ringing));
        Assert.Equal("canceled", fx.App.SingleRequestTo(p + "/action")["DialCallStatus"]);
    }

    [Fact]
    public async Task Canceled_hangs_up_an_outgoing_call_that_is_still_ringing()
    {
        var p = fx.NewPrefix();
        fx.Emulator.Scenario().Set("+15550008001", "manual");
        var sid = (await fx.CreateCallAsync(("From", "+15550001111"), ("To", "+15550008001"), ("Url",
            fx.App.Url(p + "/never")))).GetProperty("sid").GetString()!;
        await fx.IdleAsync();
        Assert.Equal("ringing", await fx.StatusOfAsync(sid));

        await fx.ModifyAsync(sid, ("Status", "canceled"));
        await fx.IdleAsync();

        Assert.Equal("canceled", await fx.StatusOfAsync(sid));
        Assert.Empty(fx.App.RequestsTo(p + "/never"));
    }

    [Fact]
    public async Task Completed_hangs_up_an_in_progress_call_and_its_partner()
    {
        var p = fx.NewPrefix();
        var (caller, callee) = await BridgedCallAsync(p, "heidi");

        await fx.ModifyAsync(caller, ("Status", "completed"));
        await fx.IdleAsync();

        Assert.Equal("completed", await fx.StatusOfAsync(caller));
        Assert.Equal("completed", await fx.StatusOfAsync(callee));
    }

    [Fact]
    public async Task Modification_answers_the_call_as_it_was_before()
    {
        var p = fx.NewPrefix();
        var (caller, _) = await BridgedCallAsync(p, "ivan");

        var response = await fx.ModifyAsync(caller, ("Status", "completed"));
        var before = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal("in-progress", before.GetProperty("status").GetString());
        await fx.IdleAsync();
    }

    [Fact]
    public async Task Mute_true_mutes_the_leg_and_any_modification_without_mute_unmutes_it()
    {
        var p = fx.NewPrefix();
        var (caller, callee) = await BridgedCallAsync(p, "judy");

        await fx.ModifyAsync(callee, ("Mute", "true"));
        Assert.True((await fx.GetCallAsync(callee)).GetProperty("muted").GetBoolean());
        Assert.Equal("in-progress", await fx.StatusOfAsync(callee));

        await fx.ModifyAsync(callee, ("StatusCallback", fx.App.Url(p + "/status")));
        await fx.IdleAsync();

        Assert.False((await fx.GetCallAsync(callee)).GetProperty("muted").GetBoolean());
        Assert.Equal(callee, (await fx.LegAsync(caller)).GetProperty("bridged_to").GetString());
    }

    [Theory]
    [InlineData("mallory", "FallbackMethod", "PUT", "FallbackMethod must be GET or POST.")]
    [InlineData("oscar", "StatusCallbackMethod", "DELETE", "StatusCallbackMethod must be GET or POST.")]
    [InlineData("peggy", "FallbackUrl", "not a url", "FallbackUrl and StatusCallback must be absolute http(s) URLs.")]
    public async Task Modification_with_a_bad_callback_method_or_url_answers_400_and_changes_nothing(string client, string name,
        string value, string reason)
    {
        var p = fx.NewPrefix();
        var (caller, callee) = await BridgedCallAsync(p, client);
        await fx.ModifyAsync(callee, ("Mute", "true"));

        // Without Mute, a modification that went through would unmute the leg (Restcomm's rule): it must not.
        var response = await fx.ModifyAsync(callee, (name, value));
        await fx.IdleAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(reason, await response.Content.ReadAsStringAsync());
        Assert.True((await fx.GetCallAsync(callee)).GetProperty("muted").GetBoolean());
        Assert.Equal(callee, (await fx.LegAsync(caller)).GetProperty("bridged_to").GetString());
    }

    [Fact]
    public async Task Url_on_a_party_ringing_inside_a_dial_picks_it_up_and_ends_the_dial_as_canceled()
    {
        var p = fx.NewPrefix();
        fx.Emulator.Scenario().Set("client:oscar", "manual");
        var caller = await fx.AnsweredCallRunningAsync(p + "/dial",
            $"<Response><Dial action=\"{p}/action\"><Client>oscar</Client></Dial></Response>");
        var ringing = Assert.Single(await fx.ChildrenOfAsync(caller)).GetProperty("sid").GetString()!;

        await fx.ModifyAsync(ringing, ("Url", ConferenceScript(p, p + "-room")));
        await fx.IdleAsync();

        Assert.Equal("in-progress", await fx.StatusOfAsync(ringing));
        Assert.Equal(ringing, fx.App.SingleRequestTo(p + "/conference")["CallSid"]);
        Assert.Equal("canceled", fx.App.SingleRequestTo(p + "/action")["DialCallStatus"]);
    }
}
