using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>POST /emulator/calls/{sid}/forget: the platform loses a leg without telling anyone (reconciliation tests).</summary>
public sealed class ForgetTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Forgotten_leg_is_unknown_to_the_rest_api_and_sends_no_callback()
    {
        var p = fx.NewPrefix();
        var caller = await fx.AnsweredCallRunningAsync(p + "/dial",
            $"<Response><Dial action=\"{p}/action\">"
            + $"<Client statusCallback=\"{p}/progress\" statusCallbackEvent=\"completed\">alice</Client></Dial></Response>");
        var callee = Assert.Single(await fx.ChildrenOfAsync(caller)).GetProperty("sid").GetString()!;

        await fx.ControlAsync(callee, "forget");
        await fx.IdleAsync();

        var get = await fx.Http.GetAsync($"{fx.CallsPath}/{callee}.json");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Equal("text/plain", get.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotAcceptable, (await fx.ModifyAsync(callee, ("Status", "completed"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fx.Http.GetAsync($"/emulator/calls/{callee}/hears")).StatusCode);
        Assert.DoesNotContain((await fx.Http.GetFromJsonAsync<JsonElement>("/emulator/state?all=true")).GetProperty(
            "calls").EnumerateArray(),
            l => l.GetProperty("call").GetProperty("sid").GetString() == callee);
        Assert.Empty(await fx.ChildrenOfAsync(caller));
        Assert.Empty(fx.App.RequestsTo(p + "/progress"));
        Assert.Empty(fx.App.RequestsTo(p + "/action"));

        // Its partner is not told: it stays up, alone.
        Assert.Equal("in-progress", await fx.StatusOfAsync(caller));
        Assert.Equal(Hears.Silence(), await fx.HearsAsync(caller));
        Assert.Equal(JsonValueKind.Null, (await fx.LegAsync(caller)).GetProperty("bridged_to").ValueKind);
    }

    [Fact]
    public async Task Forgotten_member_leaves_its_room_without_ending_it_even_with_endConferenceOnExit()
    {
        var p = fx.NewPrefix();
        var room = p + "-room";
        var moderator = await fx.AnsweredCallRunningAsync(p + "/m",
            $"<Response><Dial><Conference endConferenceOnExit=\"true\">{room}</Conference></Dial></Response>", "client:bob");
        var guest = await fx.AnsweredCallRunningAsync(p + "/g",
            $"<Response><Dial action=\"{p}/after\"><Conference>{room}</Conference></Dial></Response>", "client:carol");
        var third = await fx.AnsweredCallRunningAsync(p + "/t",
            $"<Response><Dial><Conference>{room}</Conference></Dial></Response>", "client:dave");

        await fx.ControlAsync(moderator, "forget");
        await fx.IdleAsync();

        Assert.Equal(new[] { guest, third }.Order(),
            (await fx.MembersOfAsync(room)).Select(m => m.GetProperty("call_sid").GetString()).Order());
        Assert.Equal(Hears.InRoom(room, third), await fx.HearsAsync(guest));
        Assert.Empty(fx.App.RequestsTo(p + "/after"));
    }

    [Fact]
    public async Task Forgotten_created_call_stops_its_runner_and_never_reports_completed()
    {
        var p = fx.NewPrefix();
        var sid = (await fx.CreateCallAsync(
            ("From", "+15550001111"), ("To", "client:erin"),
            ("Url", fx.App.Script(p + "/hold", "<Response><Play loop=\"0\">http://music.test/hold.wav</Play></Response>")),
            ("StatusCallback", fx.App.Url(p + "/status")))).GetProperty("sid").GetString()!;
        await fx.IdleAsync();

        await fx.ControlAsync(sid, "forget");
        await fx.IdleAsync();

        Assert.DoesNotContain("completed", fx.App.RequestsTo(p + "/status").Select(r => r["CallStatus"]));
        Assert.Equal(HttpStatusCode.NotFound, (await fx.PostFormAsync($"/emulator/calls/{sid}/forget")).StatusCode);
    }
}
