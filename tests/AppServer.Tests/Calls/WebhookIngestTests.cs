using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using AppServer.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static AppServer.Tests.Infrastructure.ProblemAssert;

namespace AppServer.Tests.Calls;

public abstract class WebhookIngestTests<TFixture>(TFixture app) : IClassFixture<TFixture> where TFixture : AppServerFixture
{
    private Task<int> RowsFor(string callSid) =>
        app.Factory.QueryDatabaseAsync(db => db.Calls.CountAsync(c => c.CallSid == callSid));

    private Task<ApiCall> StoredCall(string callSid) => app.GetCallAsync(callSid);

    [Fact]
    public async Task Real_restcomm_post_is_stored_and_answered_with_rcml_dialling_the_agent()
    {
        var sid = Webhook.NewCallSid();
        var response = await app.Client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var rcml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Response", rcml.Root!.Name.LocalName);
        Assert.Equal("bob", rcml.Root.Element("Dial")?.Element("Client")?.Value);

        var call = await StoredCall(sid);
        Assert.Equal("alice", call.From);
        Assert.Equal("1111", call.To);
        Assert.Equal("ringing", call.CallStatus);
        Assert.Equal("inbound", call.Direction);
        Assert.Equal("bob", call.Agent);
        Assert.Null(call.CallerName);
        Assert.Null(call.ForwardedFrom);
        Assert.Equal("2016-08-18T13:46:29.507Z", call.Parameters["CallTimestamp"]);
        Assert.False(call.Parameters.ContainsKey("CallerName"), "the text 'null' means absent");
    }

    [Fact]
    public async Task Get_delivery_reads_the_query_string()
    {
        var sid = Webhook.NewCallSid();
        var response = await app.Client.GetWithQueryAsync("/incoming",
            Webhook.RestcommIncoming(sid, from: "+15551234567", to: "+15550001000"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = await StoredCall(sid);
        Assert.Equal("+15551234567", call.From);
        Assert.Equal("+15550001000", call.To);
    }

    [Fact]
    public async Task Twilio_style_call_sid_and_sip_addresses_are_accepted()
    {
        var sid = "CA" + Guid.NewGuid().ToString("N");
        var parameters = Webhook.RestcommIncoming(sid, from: "sip:bob@example.com", to: "+15550001000");
        parameters["CallerName"] = "Bob & <Co>";
        var response = await app.Client.PostFormAsync("/incoming", parameters);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = await StoredCall(sid);
        Assert.Equal("sip:bob@example.com", call.From);
        Assert.Equal("Bob & <Co>", call.CallerName);
    }

    [Fact]
    public async Task Unknown_extra_parameters_are_kept()
    {
        var sid = Webhook.NewCallSid();
        var parameters = Webhook.RestcommIncoming(sid);
        parameters["SipHeader_X-Customer-Id"] = "42";
        parameters["ReferTarget"] = "sip:transfer@example.com";
        await app.Client.PostFormAsync("/incoming", parameters);
        await app.Client.PostFormAsync("/status", new Dictionary<string, string>
        {
            ["CallSid"] = sid, ["CallStatus"] = "in-progress", ["InstanceId"] = "i-1", ["ReferTarget"] = "",
        });

        var stored = (await StoredCall(sid)).Parameters;
        Assert.Equal("42", stored["SipHeader_X-Customer-Id"]);
        Assert.Equal("sip:transfer@example.com", stored["ReferTarget"]);
        Assert.Equal("i-1", stored["InstanceId"]);
        Assert.Equal("alice", stored["From"]);
    }

    [Fact]
    public async Task Fifty_concurrent_deliveries_of_one_call_make_one_row_without_error()
    {
        var sid = Webhook.NewCallSid();
        var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
        {
            var parameters = Webhook.RestcommIncoming(sid);
            parameters[$"Delivery{i}"] = i.ToString();
            return app.Client.PostFormAsync("/incoming", parameters);
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await RowsFor(sid));
        var stored = (await StoredCall(sid)).Parameters;
        for (var i = 0; i < 50; i++) Assert.Equal(i.ToString(), stored[$"Delivery{i}"]);
    }

    [Fact]
    public async Task Status_callback_before_the_incoming_webhook_is_stored_and_merged()
    {
        var sid = Webhook.NewCallSid();
        var status = await app.Client.PostFormAsync("/status",
            new Dictionary<string, string> { ["CallSid"] = sid, ["CallStatus"] = "in-progress" });
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal("<Response />", await status.Content.ReadAsStringAsync());

        await app.Client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid));

        var call = await StoredCall(sid);
        Assert.Equal("in-progress", call.CallStatus); // the late "ringing" did not win
        Assert.Equal("alice", call.From);
        Assert.Equal(1, await RowsFor(sid));
    }

    [Fact]
    public async Task Status_never_moves_backwards_after_the_call_ended()
    {
        var sid = Webhook.NewCallSid();
        await app.Client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid));
        await app.Client.PostFormAsync("/status",
            new Dictionary<string, string> { ["CallSid"] = sid, ["CallStatus"] = "completed", ["CallDuration"] = "37" });
        await app.Client.PostFormAsync("/status", new Dictionary<string, string> { ["CallSid"] = sid, ["CallStatus"] = "ringing" });
        await app.Client.PostFormAsync("/status", new Dictionary<string, string> { ["CallSid"] = sid, ["CallStatus"] = "in-progress" });

        var call = await StoredCall(sid);
        Assert.Equal("completed", call.CallStatus);
        Assert.Equal(37, call.Duration);
        Assert.Equal("completed", call.Parameters["CallStatus"]);
        Assert.NotNull(call.EndedAt);
    }

    [Theory]
    [InlineData("queued")]
    [InlineData("wait-for-answer")]
    [InlineData("busy")]
    [InlineData("failed")]
    [InlineData("no-answer")]
    [InlineData("canceled")]
    [InlineData("not-found")]
    public async Task Every_platform_call_status_is_accepted(string status)
    {
        var sid = Webhook.NewCallSid();
        var response = await app.Client.PostFormAsync("/status",
            new Dictionary<string, string> { ["CallSid"] = sid, ["CallStatus"] = status });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(status, (await StoredCall(sid)).CallStatus);
    }

    [Fact]
    public async Task Dial_action_records_the_outcome_and_answers_follow_up_rcml()
    {
        var sid = Webhook.NewCallSid();
        await app.Client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid));
        var response = await app.Client.PostFormAsync("/dial-action", new Dictionary<string, string>
        {
            ["CallSid"] = sid, ["CallStatus"] = "in-progress", ["DialCallStatus"] = "no-answer", ["DialCallSid"] = "null",
            ["DialCallDuration"] = "0",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rcml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Response", rcml.Root!.Name.LocalName);
        Assert.NotEmpty(rcml.Root.Elements());
        var stored = (await StoredCall(sid)).Parameters;
        Assert.Equal("no-answer", stored["DialCallStatus"]);
        Assert.False(stored.ContainsKey("DialCallSid"));
    }

    [Theory]
    [InlineData("", "CallSid")]
    [InlineData("CA<script>", "CallSid")]
    [InlineData("CA 123", "CallSid")]
    [InlineData("-CA123", "CallSid")]
    public async Task Bad_call_sid_is_refused_with_a_problem_naming_the_field(string callSid, string field)
    {
        var before = await app.Factory.QueryDatabaseAsync(db => db.Calls.CountAsync());
        var response = await app.Client.PostFormAsync("/incoming",
            new Dictionary<string, string> { ["CallSid"] = callSid, ["From"] = "alice" });

        await AssertProblem(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(before, await app.Factory.QueryDatabaseAsync(db => db.Calls.CountAsync()));
    }

    [Fact]
    public async Task Missing_call_sid_is_refused()
    {
        var response = await app.Client.GetAsync("/status?CallStatus=completed");
        await AssertProblem(response, HttpStatusCode.BadRequest, "CallSid");
    }

    [Fact]
    public async Task Over_long_call_sid_is_refused_and_nothing_is_stored()
    {
        var sid = "CA" + new string('a', 200);
        var response = await app.Client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid));
        await AssertProblem(response, HttpStatusCode.BadRequest, "CallSid");
        Assert.Equal(0, await RowsFor(sid));
    }

    [Theory]
    [InlineData("CallStatus", "dancing")]
    [InlineData("CallDuration", "ten")]
    [InlineData("DialCallStatus", "maybe")]
    public async Task Invalid_field_value_is_refused_and_nothing_is_stored(string field, string value)
    {
        var sid = Webhook.NewCallSid();
        var parameters = Webhook.RestcommIncoming(sid);
        parameters[field] = value;
        var response = await app.Client.PostFormAsync("/dial-action", parameters);

        await AssertProblem(response, HttpStatusCode.BadRequest, field);
        Assert.Equal(0, await RowsFor(sid));
    }

    [Fact]
    public async Task Wrong_content_type_is_refused_with_415()
    {
        var sid = Webhook.NewCallSid();
        var response = await app.Client.PostAsync("/incoming", JsonContent.Create(Webhook.RestcommIncoming(sid)));
        await AssertProblem(response, HttpStatusCode.UnsupportedMediaType, null);
        Assert.Equal(0, await RowsFor(sid));
    }

    [Fact]
    public async Task Body_over_64_KiB_is_refused_with_413()
    {
        var sid = Webhook.NewCallSid();
        var parameters = Webhook.RestcommIncoming(sid);
        parameters["Padding"] = new string('x', 70 * 1024);
        var response = await app.Client.PostFormAsync("/incoming", parameters);
        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge, null);
        Assert.Equal(0, await RowsFor(sid));
    }

    [Fact]
    public async Task Chunked_body_over_the_limit_is_refused_too()
    {
        var sid = Webhook.NewCallSid();
        var body = "CallSid=" + sid + "&Padding=" + new string('x', 70 * 1024);
        var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(body)));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
        var request = new HttpRequestMessage(HttpMethod.Post, "/incoming") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, await RowsFor(sid));
    }

    [Fact]
    public async Task Calls_api_needs_the_agent_key()
    {
        var anonymous = await app.Client.GetAsync("/calls");
        await AssertProblem(anonymous, HttpStatusCode.Unauthorized, null);

        using var wrong = app.Factory.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", "not-the-key");
        await AssertProblem(await wrong.GetAsync("/calls"), HttpStatusCode.Unauthorized, null);
    }

    [Fact]
    public async Task Calls_api_lists_stored_calls_and_404s_unknown_ones()
    {
        var sid = Webhook.NewCallSid();
        await app.Client.PostFormAsync("/incoming", Webhook.RestcommIncoming(sid));

        var list = await app.ListCallsAsync(limit: 1000);
        Assert.Contains(list, c => c.CallSid == sid);
        await AssertProblem(await app.Agent.GetAsync($"/calls/{Webhook.NewCallSid()}"), HttpStatusCode.NotFound, null);
        await AssertProblem(await app.Agent.GetAsync("/calls?limit=0"), HttpStatusCode.BadRequest, "limit");
    }

    [Fact]
    public async Task Health_reports_the_database_and_openapi_describes_the_webhooks()
    {
        var health = await app.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Contains("\"database\"", await health.Content.ReadAsStringAsync());

        var openApi = await app.Client.GetFromJsonAsync<OpenApiDocument>("/openapi/v1.json");
        Assert.Contains("/incoming", openApi!.Paths.Keys);
        Assert.Contains("/calls/{callSid}", openApi.Paths.Keys);
    }

    /// <summary>The part of the OpenAPI document looked at here (not AppServer's own contract: read leniently).</summary>
    private sealed record OpenApiDocument(IReadOnlyDictionary<string, JsonElement> Paths);
}

/// <summary>On SQLite.</summary>
public sealed class SqliteWebhookIngestTests(AppServerFixture app) : WebhookIngestTests<AppServerFixture>(app);

/// <summary>On PostgreSQL.</summary>
public sealed class PostgreSqlWebhookIngestTests(PostgresAppServerFixture app) : WebhookIngestTests<PostgresAppServerFixture>(app);
