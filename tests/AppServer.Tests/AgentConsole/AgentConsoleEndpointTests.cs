using System.Net;
using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.AgentConsole;

/// <summary>The console's server side over plain HTTP: static files, the agent list and the call event stream.</summary>
public abstract class AgentConsoleEndpointTests<TFixture>(TFixture app) : IClassFixture<TFixture> where TFixture : CallApiFixture
{
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(8);

    [Theory]
    [InlineData("/", "text/html")]
    [InlineData("/console.js", "text/javascript")]
    [InlineData("/console.css", "text/css")]
    [InlineData("/js/event-stream.js", "text/javascript")]
    [InlineData("/favicon.svg", "image/svg+xml")]
    [InlineData("/favicon.ico", "image/x-icon")] // browsers ask for it whatever the page links
    public async Task Page_and_its_files_are_served_without_a_key(string path, string mediaType)
    {
        var response = await app.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Agents_lists_names_and_addresses_for_the_transfer_picker()
    {
        var agents = await app.Agent.ListAgentsAsync();

        var byName = agents.ToDictionary(a => a.Name, a => a.Address);
        Assert.Equal("client:alice", byName["alice"]);
        Assert.Equal("sip:carol@example.com", byName["carol"]);
    }

    [Theory]
    [InlineData("/agents")]
    [InlineData("/calls/events")]
    [InlineData("/calls/events?key=" + AppServerFactory.ApiKey)] // the key is accepted in the header only, never in a URL
    public async Task Console_routes_refuse_requests_without_the_key_header(string path)
    {
        var response = await app.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Event_stream_sends_a_snapshot_then_each_changed_call()
    {
        var existing = await app.SeedCallAsync();
        await using var stream = await EventStreamReader.OpenAsync(app.Agent);

        var snapshot = await stream.NextAsync(EventWait);
        Assert.Equal("snapshot", snapshot.Type);
        Assert.Contains(snapshot.Data.Calls, c => c.CallSid == existing);

        var sid = await app.SeedCallAsync(status: "ringing");
        var added = await stream.NextMatchingAsync(e => e.Data.Calls.Any(c => c.CallSid == sid), EventWait);
        Assert.Equal("calls", added.Type);
        Assert.Equal("ringing", added.Data.Calls.Single(c => c.CallSid == sid).CallStatus);
    }

    [Fact]
    public async Task Event_stream_shows_a_transfer_as_it_completes()
    {
        var sid = await app.SeedCallAsync();
        await using var stream = await EventStreamReader.OpenAsync(app.Agent);
        await stream.NextAsync(EventWait); // snapshot

        var response = await app.PostTransferAsync(new { callSid = sid, to = "carol", mode = "cold" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var done = await stream.NextMatchingAsync(e => e.Data.Calls.Any(c =>
            c.CallSid == sid && c.Transfers.Any(t => t.State == "completed")), EventWait);
        var transfer = done.Data.Calls.Single(c => c.CallSid == sid).Transfers[0];
        Assert.Equal("carol", transfer.To);
        Assert.Single(transfer.Requests);
    }
}

/// <summary>On SQLite.</summary>
public sealed class SqliteAgentConsoleEndpointTests(CallApiFixture app) : AgentConsoleEndpointTests<CallApiFixture>(app);

/// <summary>On PostgreSQL.</summary>
public sealed class PostgreSqlAgentConsoleEndpointTests(PostgresCallApiFixture app)
    : AgentConsoleEndpointTests<PostgresCallApiFixture>(app);
