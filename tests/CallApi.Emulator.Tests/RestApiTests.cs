using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>The REST surface of docs/platform.md §4: auth, Restcomm's plain-text errors, the JSON shape.</summary>
public sealed class RestApiTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private const string WellFormedUnknownSid = "ID0123456789abcdef0123456789abcdef-CA0123456789abcdef0123456789abcdef";

    [Fact]
    public async Task Request_without_credentials_is_refused_with_basic_challenge()
    {
        using var anonymous = new HttpClient { BaseAddress = fx.Http.BaseAddress };

        var response = await anonymous.GetAsync(fx.CallsPath + ".json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Request_with_wrong_auth_token_is_refused()
    {
        using var client = new HttpClient { BaseAddress = fx.Http.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{EmulatorFixture.AccountSid}:wrong")));

        var response = await client.PostAsync(fx.CallsPath + "/" + WellFormedUnknownSid, new FormUrlEncodedContent([]));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Modify_with_malformed_sid_answers_400_without_json()
    {
        var response = await fx.ModifyAsync("not-a-sid", ("Status", "completed"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Modify_of_unknown_call_answers_406_in_plain_text()
    {
        var response = await fx.ModifyAsync(WellFormedUnknownSid, ("Status", "completed"));

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task Modify_of_completed_call_answers_410_already_completed()
    {
        var p = fx.NewPrefix();
        var call = await fx.CreateCallAsync(("From", "+15550001111"), ("To", "+15550002001"), ("Url", fx.App.Script(p + "/bye",
            "<Response><Hangup/></Response>")));
        await fx.IdleAsync();
        var sid = call.GetProperty("sid").GetString()!;
        Assert.Equal("completed", await fx.StatusOfAsync(sid));

        var response = await fx.ModifyAsync(sid, ("Url", fx.App.Url(p + "/again")));

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Call is already completed.", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Create_without_url_answers_400_naming_the_missing_parameter()
    {
        var response = await fx.PostFormAsync(fx.CallsPath + ".json", ("From", "+15550001111"), ("To", "client:bob"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Url", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("Method", "PUT", "Method must be GET or POST.")]
    [InlineData("FallbackMethod", "DELETE", "FallbackMethod must be GET or POST.")]
    [InlineData("StatusCallbackMethod", "PATCH", "StatusCallbackMethod must be GET or POST.")]
    [InlineData("StatusCallback", "ftp://example.test/status", "FallbackUrl and StatusCallback must be absolute http(s) URLs.")]
    public async Task Create_with_a_bad_callback_method_or_url_answers_400_and_creates_nothing(string name, string value, string reason)
    {
        var before = (await fx.Http.GetFromJsonAsync<JsonElement>(fx.CallsPath + ".json")).GetProperty("total").GetInt32();

        var response = await fx.PostFormAsync(fx.CallsPath + ".json",
            ("From", "+15550001111"), ("To", "+15550002001"), ("Url", fx.App.Url("/x")), (name, value));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(reason, await response.Content.ReadAsStringAsync());
        Assert.Equal(before, (await fx.Http.GetFromJsonAsync<JsonElement>(fx.CallsPath + ".json")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Create_to_unregistered_client_answers_500_in_plain_text_and_creates_nothing()
    {
        var before = (await fx.Http.GetFromJsonAsync<JsonElement>(fx.CallsPath + ".json")).GetProperty("total").GetInt32();

        var response = await fx.PostFormAsync(fx.CallsPath + ".json", ("From", "+15550001111"), ("To", "client:nobody"), ("Url",
            fx.App.Url("/x")));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("nobody", await response.Content.ReadAsStringAsync());
        var after = (await fx.Http.GetFromJsonAsync<JsonElement>(fx.CallsPath + ".json")).GetProperty("total").GetInt32();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task Created_call_has_restcomm_sid_and_snake_case_fields()
    {
        var p = fx.NewPrefix();

        var call = await fx.CreateCallAsync(("From", "+15550001111"), ("To", "client:carol"), ("Url", fx.App.Script(p + "/hi",
            "<Response><Say>hi</Say></Response>")));

        var sid = call.GetProperty("sid").GetString()!;
        Assert.Matches(new Regex("^ID[0-9a-f]{32}-CA[0-9a-f]{32}$"), sid);
        Assert.Equal("queued", call.GetProperty("status").GetString());
        Assert.Equal("outbound-api", call.GetProperty("direction").GetString());
        Assert.Equal("+15550001111", call.GetProperty("from").GetString());
        Assert.Equal("client:carol", call.GetProperty("to").GetString());
        Assert.True(call.TryGetProperty("date_created", out _));
        Assert.True(call.TryGetProperty("parent_call_sid", out _));
        await fx.IdleAsync();
    }

    [Fact]
    public async Task Call_is_readable_with_and_without_json_suffix_and_listed()
    {
        var p = fx.NewPrefix();
        var sid = (await fx.CreateCallAsync(("From", "+15550001111"), ("To", "+15550002002"), ("Url", fx.App.Script(p + "/hi",
            "<Response/>"))))
            .GetProperty("sid").GetString()!;
        await fx.IdleAsync();

        var plain = await fx.Http.GetFromJsonAsync<JsonElement>($"{fx.CallsPath}/{sid}");
        var json = await fx.Http.GetFromJsonAsync<JsonElement>($"{fx.CallsPath}/{sid}.json");
        var list = await fx.Http.GetFromJsonAsync<JsonElement>(fx.CallsPath);

        Assert.Equal(sid, plain.GetProperty("sid").GetString());
        Assert.Equal(sid, json.GetProperty("sid").GetString());
        Assert.Contains(list.GetProperty("calls").EnumerateArray(), c => c.GetProperty("sid").GetString() == sid);
    }

    [Fact]
    public async Task Idle_endpoint_answers_when_nothing_runs()
    {
        var response = await fx.Http.GetAsync("/emulator/idle?timeoutMs=5000");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("idle").GetBoolean());
    }
}
