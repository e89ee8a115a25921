using System.Net;
using System.Net.Http.Json;
using AppServer.Tests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using static AppServer.Tests.Infrastructure.ProblemAssert;

namespace AppServer.Tests.Transfers;

public abstract class ColdTransferTests<TFixture>(TFixture app) : IClassFixture<TFixture> where TFixture : CallApiFixture
{
    private static readonly string[] ColdFields = ["FallbackUrl", "Url"];

    [Fact]
    public async Task Cold_transfer_to_an_agent_redirects_the_call_to_CallTo_agent_with_basic_auth_and_only_the_set_fields()
    {
        var sid = await app.SeedCallAsync();

        var response = await app.PostTransferAsync(new { callSid = sid, to = "ALICE", mode = "cold" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var transfer = await response.ReadTransferAsync();
        Assert.Equal("completed", transfer.State);
        Assert.Equal("alice", transfer.To);

        var request = Assert.Single(app.CallApi.RequestsMentioning(sid));
        Assert.Equal("POST", request.Method);
        Assert.Equal($"{FakeCallApi.AccountPath}/Calls/{sid}.json", request.Path);
        Assert.Equal(FakeCallApi.ExpectedAuthorization, request.Authorization);
        Assert.StartsWith("application/x-www-form-urlencoded", request.ContentType);
        // The target's document names the transfer, so its Dial's progress tells whether alice answered.
        Assert.Equal(CallApiFixture.Public($"/CallToAlice?transfer={transfer.Id}"), request.Field("Url"));
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
        Assert.Equal(to, query["address"].ToString());
        Assert.Equal(CallApiFixture.WebhookToken, query["token"].ToString());
    }

    [Fact]
    public async Task Transfer_record_keeps_each_request_and_answer_and_shows_on_the_call()
    {
        var sid = await app.SeedCallAsync();
        var created = await (await app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" })).ReadTransferAsync();
        var id = created.Id;

        var transfer = await app.GetTransferAsync(id);
        Assert.Equal(sid, transfer.CallSid);
        Assert.Equal("cold", transfer.Mode);
        Assert.Equal(200, transfer.PlatformStatus);
        var logged = Assert.Single(transfer.Requests);
        Assert.Equal("POST", logged.Method);
        Assert.Equal($"{FakeCallApi.AccountPath}/Calls/{sid}.json", logged.Path);
        Assert.Equal(200, logged.ResponseStatus);
        Assert.Contains(sid, logged.ResponseBody);
        Assert.Equal($"http://appserver.test/CallToAlice?transfer={id}&token=***", logged.Form["Url"]);

        var call = await app.GetCallAsync(sid);
        Assert.Equal("alice", call.Agent);
        Assert.Contains(call.Transfers, t => t.Id == id);
        var listed = (await app.ListCallsAsync(limit: 1000)).Single(c => c.CallSid == sid);
        Assert.Equal(id, listed.Transfers[0].Id);
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
        async Task Refused(object body, string field) =>
            await AssertProblem(await app.PostTransferAsync(body), HttpStatusCode.BadRequest, field);

        await Refused(new { callSid = sid, to = "alice", mode = "blind" }, "mode");
        await Refused(new { callSid = sid, mode = "warm" }, "to");
        await Refused(new { callSid = sid, to = "alice", mode = "warm", room = "r1" }, "room");
        await Refused(new { callSid = sid, to = "alice" }, "mode");
        await Refused(new { callSid = "CA<x>", to = "alice", mode = "cold" }, "callSid");
        await Refused(new { to = "alice", mode = "cold" }, "callSid");
        await Refused(new { callSid = sid, mode = "conference", room = "no spaces" }, "room");
        await Refused(new { callSid = sid, mode = "conference", room = new string('r', 65) }, "room");
        await Refused(new { callSid = sid, to = "alice", mode = "cold", moveConnectedCallLeg = true }, "moveConnectedCallLeg");

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
        var form = await app.Agent.PostFormAsync("/transfer",
            new Dictionary<string, string> { ["callSid"] = sid, ["to"] = "alice", ["mode"] = "cold" });
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

        var first = await (await app.PostTransferAsync(body, key)).ReadTransferAsync();
        var again = await app.PostTransferAsync(body, key);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(first.Id, (await again.ReadTransferAsync()).Id);
        Assert.Single(app.CallApi.RequestsMentioning(sid));

        var reused = await app.PostTransferAsync(new { callSid = sid, to = "carol", mode = "cold" }, key);
        await AssertProblem(reused, HttpStatusCode.UnprocessableEntity, null);
        Assert.Single(app.CallApi.RequestsMentioning(sid));
    }

    [Fact]
    public async Task Two_concurrent_transfers_of_one_call_one_wins_the_other_gets_409()
    {
        var sid = await app.SeedCallAsync();
        app.CallApi.WhenMentioned(sid, new ScriptedResponse(200, FakeCallApi.CallJson(sid, "in-progress", "inbound", "x", "y"),
            "application/json", TimeSpan.FromMilliseconds(400)));

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
        app.CallApi.WhenMentioned(sid, new ScriptedResponse(200, FakeCallApi.CallJson(sid, "in-progress", "inbound", "x", "y"),
            "application/json", TimeSpan.FromMilliseconds(500)));

        var transfer = app.PostTransferAsync(new { callSid = sid, to = "alice", mode = "cold" });
        for (var i = 0; i < 100 && app.CallApi.RequestsMentioning(sid).Count == 0; i++) await Task.Delay(10);
        var whileWaiting = await app.Factory.QueryDatabaseAsync(db =>
            db.Actions.Where(t => t.CallSid == sid).Select(t => t.State).ToListAsync());

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

/// <summary>On SQLite.</summary>
public sealed class SqliteColdTransferTests(CallApiFixture app) : ColdTransferTests<CallApiFixture>(app);

/// <summary>On PostgreSQL.</summary>
public sealed class PostgreSqlColdTransferTests(PostgresCallApiFixture app) : ColdTransferTests<PostgresCallApiFixture>(app);
