using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallApi.Emulator.Tests.Infrastructure;

namespace CallApi.Emulator.Tests;

/// <summary>GET …/Accounts/{AccountSid}: a cheap authenticated readiness check.</summary>
public sealed class AccountTests(EmulatorFixture fx) : IClassFixture<EmulatorFixture>
{
    private const string AccountPath = $"/restcomm/2012-04-24/Accounts/{EmulatorFixture.AccountSid}";

    [Theory]
    [InlineData("")]
    [InlineData(".json")]
    public async Task Account_is_read_with_its_status_and_without_its_auth_token(string suffix)
    {
        var response = await fx.Http.GetAsync(AccountPath + suffix);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var account = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(EmulatorFixture.AccountSid, account.GetProperty("sid").GetString());
        Assert.Equal("active", account.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(account.GetProperty("friendly_name").GetString()));
        Assert.Equal(AccountPath + ".json", account.GetProperty("uri").GetString());
        Assert.False(account.TryGetProperty("auth_token", out _));
        Assert.DoesNotContain(EmulatorFixture.AuthToken, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token")]
    public async Task Bad_credentials_answer_401_with_a_basic_challenge(string? token)
    {
        using var client = new HttpClient { BaseAddress = fx.Http.BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{EmulatorFixture.AccountSid}:{token}")));
        }

        var response = await client.GetAsync(AccountPath + ".json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task Another_account_is_refused_even_with_this_accounts_credentials()
    {
        var response = await fx.Http.GetAsync("/restcomm/2012-04-24/Accounts/AC00000000000000000000000000000000.json");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }
}
