using System.Net;
using System.Net.Http.Json;
using AppServer.Configuration;
using AppServer.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace AppServer.Tests.Security;

/// <summary>Alice and Bob with keys of their own (kept hashed), beside the shared test key.</summary>
public sealed class AgentKeysFixture : CallApiFixture
{
    public const string AliceKey = "alice-own-key-5f1c";
    public const string BobKey = "bob-own-key-93ad";

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["AppServer:AgentKeys:alice"] = AgentKeyHash.Of(AliceKey),
        ["AppServer:AgentKeys:bob"] = AgentKeyHash.Of(BobKey),
    };

    public HttpClient ClientWithKey(string key)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }
}

/// <summary>Each agent has a key of their own, stored hashed; every action records who asked; the shared keys still work.</summary>
public class AgentIdentityTests(AgentKeysFixture app) : IClassFixture<AgentKeysFixture>
{
    private static async Task<ApiTransfer> MuteAsync(HttpClient agent, string sid)
    {
        var answer = await agent.PostAsJsonAsync($"/calls/{sid}/mute", new { muted = true });
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return await answer.ReadTransferAsync();
    }

    [Fact]
    public async Task An_action_taken_with_an_agents_own_key_records_the_agent()
    {
        var sid = await app.SeedCallAsync();
        using var alice = app.ClientWithKey(AgentKeysFixture.AliceKey);

        var action = await MuteAsync(alice, sid);

        Assert.Equal("alice", action.RequestedBy);
        Assert.Equal("alice", (await app.GetTransferAsync(action.Id)).RequestedBy);
        Assert.Contains((await app.GetCallAsync(sid)).Transfers, t => t.Id == action.Id && t.RequestedBy == "alice");
        Assert.Equal(new ApiAgentSession("alice", true), await alice.GetFromJsonAsync<ApiAgentSession>("/me", ApiJson.Options));
    }

    [Fact]
    public async Task A_shared_key_still_works_and_its_actions_are_unnamed()
    {
        var sid = await app.SeedCallAsync();

        var action = await MuteAsync(app.Agent, sid);

        Assert.Equal("unnamed", action.RequestedBy);
        Assert.Equal(new ApiAgentSession("unnamed", false), await app.Agent.GetFromJsonAsync<ApiAgentSession>("/me", ApiJson.Options));
    }

    [Fact]
    public async Task The_stored_hash_is_not_a_key_and_one_agents_key_is_not_anothers()
    {
        using var hash = app.ClientWithKey(AgentKeyHash.Of(AgentKeysFixture.AliceKey));
        Assert.Equal(HttpStatusCode.Unauthorized, (await hash.GetAsync("/me")).StatusCode);
        using var bob = app.ClientWithKey(AgentKeysFixture.BobKey);
        Assert.Equal("bob", (await bob.GetFromJsonAsync<ApiAgentSession>("/me", ApiJson.Options))!.Name);
    }

    [Theory]
    [InlineData("AppServer:AgentKeys:carol", "carol-plain-key")]
    [InlineData("AppServer:AgentKeys:carol", "sha256:1234")]
    [InlineData("AppServer:AgentKeys:unnamed", "sha256:0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task An_agent_key_that_is_not_a_hash_stops_start_up_naming_it(string key, string value)
    {
        await using var factory = new AppServerFactory(new Dictionary<string, string?> { [key] = value });

        var error = Assert.ThrowsAny<Exception>(() => factory.StartServer());

        var validation = error as OptionsValidationException ?? error.InnerException as OptionsValidationException
            ?? throw new Xunit.Sdk.XunitException($"Expected an OptionsValidationException, got {error}");
        Assert.Contains(validation.Failures, f => f.Contains(key));
        Assert.DoesNotContain(validation.Failures, f => f.Contains("carol-plain-key"));
    }
}
