using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AppServer.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using static AppServer.Tests.Calls.WebhookIngestTests;

namespace AppServer.Tests.Transfers;

public class ColdTransferTests(CallApiFixture app) : IClassFixture<CallApiFixture>
{
    private static readonly string[] ColdFields = ["FallbackUrl", "Url"];

    [Fact]
    public async Task Cold_transfer_to_an_agent_redirects_the_call_to_CallTo_agent_with_basic_auth_and_only_the_set_fields()
    {
        var sid = await app.SeedCallAsync();

        var response = await app.PostTransferAsync(new { callSid = sid, to = "ALICE", mode = "cold" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var transfer = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("completed", transfer.GetProperty("state").GetString());
        Assert.Equal("alice", transfer.GetProperty("to").GetString());

        var request = Assert.Single(app.CallApi.RequestsMentioning(sid));
        Assert.Equal("POST", request.Method);
        Assert.Equal($"{FakeCallApi.AccountPath}/Calls/{sid}.json", request.Path);
        Assert.Equal(FakeCallApi.ExpectedAuthorization, request.Authorization);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType);
        // The target's document names the transfer, so its Dial's progress tells whether alice answered.
        Assert.Equal(CallApiFixture.Public($"/CallToAlice?transfer={transfer.GetProperty("id").GetString()}"), request.Field("Url"));
        Assert.Equal(CallApiFixture.Public("/fallback"), request.Field("FallbackUrl"));
        Assert.Equal(ColdFields, request.FieldNames); // no Mute, Status, Method, MoveConnectedCallLeg, StatusCallback…
    }

    [Theory]
    [InlineData("sip:dave@example.org")]
    [InlineData("+15557654321")]
    [InlineData("client:dave")]
    public async Task Cold_transfer_to_an_address_dials_it_through_the_Dial_route(string to)
    {
        var sid = await app.SeedCallAsync();

        var response = await app.PostTransferAsync(new { callSid = sid, to, mode = "cold" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var url = new Uri(Assert.Single(app.CallApi.RequestsMentioning(sid)).Field("Url")!);
        Assert.Equal("/Dial", url.AbsolutePath);
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(to, query["to"].ToString());
        Assert.Equal(CallApiFixture.WebhookToken, query["token"].ToString());
    }

    [Fact]
    public async Task Transfer_record_keeps_each_request_and_answer_and_shows_on_the_call()
    {
        var sid = await app.SeedCallAsync();
        var created = await (await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" })).Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetString()!;

        var transfer = await app.GetTransferAsync(id);
        Assert.Equal(sid, transfer.GetProperty("callSid").GetString());
        Assert.Equal("cold", transfer.GetProperty("mode").GetString());
        Assert.Equal(200, transfer.GetProperty("platformStatus").GetInt32());
        var logged = Assert.Single(transfer.GetProperty("requests").EnumerateArray());
        Assert.Equal("POST", logged.GetProperty("method").GetString());
        Assert.Equal($"{FakeCallApi.AccountPath}/Calls/{sid}.json", logged.GetProperty("path").GetString());
        Assert.Equal(200, logged.GetProperty("responseStatus").GetInt32());
        Assert.Contains(sid, logged.GetProperty("responseBody").GetString());
        Assert.Equal($"http://appserver.test/CallToAlice?transfer={id}&token=***", logged.GetProperty("form").GetProperty("Url").GetString());

        var call = await app.GetCallAsync(sid);
        Assert.Equal("alice", call.GetProperty("agent").GetString());
        Assert.Contains(call.GetProperty("transfers").EnumerateArray(), t => t.GetProperty("id").GetString() == id);
        var listed = (await app.Agent.GetFromJsonAsync<JsonElement>("/calls?limit=1000")).EnumerateArray().Single(c => c.GetProperty("callSid").GetString() == sid);
        Assert.Equal(id, listed.GetProperty("transfers")[0].GetProperty("id").GetString());
        await AssertProblem(await app.Agent.GetAsync("/transfers/TRnope"), HttpStatusCode.NotFound, null);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("nobody")]
    [InlineData("client:")]
    [InlineData("client:bad name")]
    [InlineData("sip:nohost")]
    [InlineData("12ab")]
    [InlineData("+1 555 123")]
    public async Task Bad_to_is_refused_with_400_naming_to_and_nothing_is_stored_or_sent(string? to)
    {
        var sid = await app.SeedCallAsync();
        var before = await app.Factory.QueryDatabaseAsync(db => db.Actions.CountAsync());

        await AssertProblem(await app.PostTransferAsync(new { callSid = sid, to, mode = "cold" }), HttpStatusCode.BadRequest, "to");

        Assert.Empty(app.CallApi.RequestsMentioning(sid));
        Assert.Equal(before, await app.Factory.QueryDatabaseAsync(db => db.Actions.CountAsync()));
    }

    [Fact]
    public async Task Bad_mode_call_sid_room_and_flags_are_refused_naming_the_field()
    {
        var sid = await app.SeedCallAsync();
        await AssertProblem(await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "warm" }), HttpStatusCode.BadRequest, "mode");
        await AssertProblem(await app.PostTransferAsync(new { callSid = sid, to = "alice" }), HttpStatusCode.BadRequest, "mode");
        await AssertProblem(await app.PostTransferAsync(new { callSid = "CA<x>", to = "alice", mode = "cold" }), HttpStatusCode.BadRequest, "callSid");
        await AssertProblem(await app.PostTransferAsync(new { to = "alice", mode = "cold" }), HttpStatusCode.BadRequest, "callSid");
        await AssertProblem(await app.PostTransferAsync(new { callSid = sid, mode = "conference", room = "no spaces" }), HttpStatusCode.BadRequest, "room");
        await AssertProblem(await app.PostTransferAsync(new { callSid = sid, mode = "conference", room = new string('r', 65) }), HttpStatusCode.BadRequest, "room");
        await AssertProblem(await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold", moveConnectedCallLeg = true }), HttpStatusCode.BadRequest, "moveConnectedCallLeg");
        var notJson = await app.Agent.PostAsync("/transfer", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Empty(app.CallApi.RequestsMentioning(sid));
    }

    [Fact]
    public async Task Oversized_body_and_wrong_content_type_are_refused_with_problems()
    {
        var sid = await app.SeedCallAsync();
        var huge = await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold", padding = new string('x', 20 * 1024) });
        await AssertProblem(huge, HttpStatusCode.RequestEntityTooLarge, null);
        var form = await app.Agent.PostFormAsync("/transfer", new Dictionary<string, string> { ["callSid"] = sid, ["to"] = "alice", ["mode"] = "cold" });
        await AssertProblem(form, HttpStatusCode.UnsupportedMediaType, null);
        Assert.Empty(app.CallApi.RequestsMentioning(sid));
    }

    [Fact]
    public async Task Unknown_call_is_404_without_any_platform_request()
    {
        var sid = Webhook.NewCallSid();
        await AssertProblem(await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" }), HttpStatusCode.NotFound, null);
        Assert.Empty(app.CallApi.RequestsMentioning(sid));
    }

    [Fact]
    public async Task Call_that_already_ended_is_409_without_any_platform_request()
    {
        var sid = await app.SeedCallAsync();
        await app.PostStatusAsync(sid, "completed");

        await AssertProblem(await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" }), HttpStatusCode.Conflict, null);
        Assert.Empty(app.CallApi.RequestsMentioning(sid));
    }

    [Fact]
    public async Task Repeated_idempotency_key_returns_the_first_result_without_a_new_platform_request()
    {
        var sid = await app.SeedCallAsync();
        var key = Guid.NewGuid().ToString();
        var body = new { callSid = sid, to = "alice", mode = "cold" };

        var first = await (await app.PostTransferAsync(body, key)).Content.ReadFromJsonAsync<JsonElement>();
        var again = await app.PostTransferAsync(body, key);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.GetProperty("id").GetString(), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
        Assert.Single(app.CallApi.RequestsMentioning(sid));

        await AssertProblem(await app.PostTransferAsync(new { callSid = sid, to = "carol", mode = "cold" }, key), HttpStatusCode.UnprocessableEntity, null);
        Assert.Single(app.CallApi.RequestsMentioning(sid));
    }

    [Fact]
    public async Task Two_concurrent_transfers_of_one_call_one_wins_the_other_gets_409()
    {
        var sid = await app.SeedCallAsync();
        app.CallApi.WhenMentioned(sid, new ScriptedResponse(200, FakeCallApi.CallJson(sid, "in-progress", "inbound", "x", "y"), "application/json", TimeSpan.FromMilliseconds(400)));

        var responses = await Task.WhenAll(
            app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" }),
            app.PostTransferAsync(new { callSid = sid, to = "carol", mode = "cold" }));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        Assert.Single(app.CallApi.RequestsMentioning(sid));
    }

    [Fact]
    public async Task Transfer_is_stored_pending_before_the_platform_request_is_answered()
    {
        var sid = await app.SeedCallAsync();
        app.CallApi.WhenMentioned(sid, new ScriptedResponse(200, FakeCallApi.CallJson(sid, "in-progress", "inbound", "x", "y"), "application/json", TimeSpan.FromMilliseconds(500)));

        var transfer = app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" });
        for (var i = 0; i < 100 && app.CallApi.RequestsMentioning(sid).Count == 0; i++) await Task.Delay(10);
        var whileWaiting = await app.Factory.QueryDatabaseAsync(db => db.Actions.Where(t => t.CallSid == sid).Select(t => t.State).ToListAsync());

        Assert.Equal(["pending"], whileWaiting);
        Assert.Equal(HttpStatusCode.OK, (await transfer).StatusCode);
    }

    [Fact]
    public async Task Agent_routes_need_the_api_key()
    {
        var response = await app.Client.PostAsJsonAsync("/transfer", new { callSid = Webhook.NewCallSid(), to = "alice", mode = "cold" });
        await AssertProblem(response, HttpStatusCode.Unauthorized, null);
    }
}
