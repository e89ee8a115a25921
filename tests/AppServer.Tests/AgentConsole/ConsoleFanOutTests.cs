using System.Net;
using System.Net.Sockets;
using AppServer.Tests.Infrastructure;

namespace AppServer.Tests.AgentConsole;

/// <summary>
/// An app whose console streams may fall only two events behind before they are sent a fresh snapshot, one event per
/// change (no interval to gather them), and values long enough to make large events.
/// </summary>
public sealed class SmallStreamBufferFixture : CallApiFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        ["AppServer:Console:StreamBufferEvents"] = "2",
        ["AppServer:Console:StreamIntervalMilliseconds"] = "0",
        ["AppServer:Limits:MaxValueLength"] = "65536",
    };
}

/// <summary>The live feed fanned out to many consoles: every stream hears every change, and one that lags is told so.</summary>
public sealed class ConsoleFanOutTests(CallApiFixture app, SmallStreamBufferFixture small)
    : IClassFixture<CallApiFixture>, IClassFixture<SmallStreamBufferFixture>
{
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Every_open_stream_receives_every_change()
    {
        const int streams = 25, calls = 40;
        var readers = new List<EventStreamReader>();
        try
        {
            for (var i = 0; i < streams; i++)
            {
                var reader = await EventStreamReader.OpenAsync(app.Agent);
                Assert.Equal("snapshot", (await reader.NextAsync(EventWait)).Type);
                readers.Add(reader);
            }
            var seeded = new List<string>();
            foreach (var chunk in Enumerable.Range(0, calls).Chunk(8))
                seeded.AddRange(await Task.WhenAll(chunk.Select(_ => app.SeedCallAsync(status: "ringing"))));

            var heard = await Task.WhenAll(readers.Select(r => HearAllAsync(r, seeded)));

            Assert.All(heard, h =>
            {
                Assert.Empty(seeded.Except(h.CallSids));
                Assert.Equal(0, h.Snapshots); // nobody fell behind: each change came as a change
            });
        }
        finally
        {
            foreach (var reader in readers) await reader.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_stream_that_stops_reading_is_sent_a_fresh_snapshot_instead_of_missing_changes()
    {
        // A client that reads nothing for a while, with a small receive window, so the server's writes back up quickly.
        using var handler = new SocketsHttpHandler { ConnectCallback = ConnectWithSmallReceiveBufferAsync };
        using var slow = new HttpClient(handler) { BaseAddress = small.Factory.BaseAddress };
        slow.DefaultRequestHeaders.Add("X-Api-Key", AppServerFactory.ApiKey);
        await using var stream = await EventStreamReader.OpenAsync(slow);
        Assert.Equal("snapshot", (await stream.NextAsync(EventWait)).Type);

        // Calls of ~60 KB each (a caller name the events carry), posted one at a time so each is an event of its own: 9 MB,
        // far more than the socket buffers (Linux lets a send buffer grow to 4 MB) and the two events the stream may hold.
        var bulk = new string('x', 60_000);
        string last = "";
        for (var i = 0; i < 150; i++) last = await small.SeedCallAsync(status: "ringing", tweak: form => form["CallerName"] = bulk);

        var fresh = await stream.NextMatchingAsync(e => e.Type == "snapshot", EventWait);
        Assert.NotEmpty(fresh.Data.Calls);
        // The snapshot came when it fell behind; from there on it hears each change again, up to the last call.
        if (!fresh.Data.Calls.Any(c => c.CallSid == last))
            await stream.NextMatchingAsync(e => e.Data.Calls.Any(c => c.CallSid == last), EventWait);
    }

    private static async Task<(HashSet<string> CallSids, int Snapshots)> HearAllAsync(EventStreamReader reader, IReadOnlyList<string> sids)
    {
        var heard = new HashSet<string>(StringComparer.Ordinal);
        var snapshots = 0;
        var deadline = DateTime.UtcNow + EventWait;
        while (!sids.All(heard.Contains) && DateTime.UtcNow < deadline)
        {
            var e = await reader.NextAsync(deadline - DateTime.UtcNow);
            if (e.Type == "snapshot") snapshots++;
            foreach (var call in e.Data.Calls) heard.Add(call.CallSid);
        }
        return (heard, snapshots);
    }

    private static async ValueTask<Stream> ConnectWithSmallReceiveBufferAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 2048, NoDelay = true };
        try
        {
            await socket.ConnectAsync(context.DnsEndPoint, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
