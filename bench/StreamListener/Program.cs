// Opens N console streams (GET /calls/events) and counts, per stream, the distinct benchmark calls it heard, by run id.
//   dotnet StreamListener.dll http://127.0.0.1:PORT API_KEY STREAMS
// Prints "ready <opened>" once every stream sent its first snapshot; on "stop" (or end of stdin) waits until every stream
// is quiet, then prints one line per run id, "run=<id> min=<fewest calls one stream heard> max=<most>", then
// "streams=<n> opened=<n> failed=<n> resnapshots=<n>".
// Calls are the bench's /incoming CallSids: "ID" + run id (8 hex) + wrk thread (4 digits) + counter (20 digits). The data is
// scanned for them rather than parsed as JSON, so the crowd costs the machine as little as it can.
using System.Text;
using StreamListener;

if (args.Length != 3 || !int.TryParse(args[2], out var count) || count < 1)
{
    Console.Error.WriteLine("usage: StreamListener BASE_URL API_KEY STREAMS");
    return 2;
}
using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue };
using var client = new HttpClient(handler) { BaseAddress = new Uri(args[0]), Timeout = Timeout.InfiniteTimeSpan };
client.DefaultRequestHeaders.Add("X-Api-Key", args[1]);
using var stop = new CancellationTokenSource();

var streams = Enumerable.Range(0, count).Select(_ => new HeardCalls()).ToArray();
var opened = 0;
var failed = 0;
var allReady = new TaskCompletionSource();
var readers = streams.Select(async heard =>
{
    try
    {
        using var response = await client.GetAsync("/calls/events", HttpCompletionOption.ResponseHeadersRead, stop.Token);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(stop.Token);
        Interlocked.Increment(ref opened);
        await heard.ReadAsync(body, () => { if (streams.All(s => s.Snapshots > 0)) allReady.TrySetResult(); }, stop.Token);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
    }
    catch (Exception e)
    {
        Interlocked.Increment(ref failed);
        Console.Error.WriteLine($"stream failed: {e.Message}");
        allReady.TrySetResult();
    }
}).ToArray();

await Task.WhenAny(allReady.Task, Task.Delay(TimeSpan.FromSeconds(60)));
Console.WriteLine($"ready {opened}");
while (Console.ReadLine() is { } line && line.Trim() != "stop")
{
}
// Events still on their way (queued on the server, in socket buffers) are waited for: a stream is done once it has been
// quiet for a while, so a slow stream is not counted as one that missed calls.
var drainedBy = Environment.TickCount64 + 120_000;
while (Environment.TickCount64 < drainedBy && streams.Any(s => Environment.TickCount64 - s.LastReadAt < 2_000))
    await Task.Delay(200);
await stop.CancelAsync();
await Task.WhenAll(readers);

var runs = streams.SelectMany(s => s.RunIds).Distinct().Order(StringComparer.Ordinal);
foreach (var run in runs)
{
    var heardPerStream = streams.Select(s => s.Count(run)).ToArray();
    Console.WriteLine($"run={run} min={heardPerStream.Min()} max={heardPerStream.Max()}");
}
Console.WriteLine($"streams={count} opened={opened} failed={failed} resnapshots={streams.Sum(s => Math.Max(0, s.Snapshots - 1))}");
return 0;

namespace StreamListener
{
    /// <summary>One stream's distinct calls, per run id and wrk thread as a bit set of counters.</summary>
    public sealed class HeardCalls
    {
        private static readonly byte[] CallSidPattern = Encoding.ASCII.GetBytes("\"callSid\":\"ID");
        private static readonly byte[] SnapshotPattern = Encoding.ASCII.GetBytes("event: snapshot");
        private const int IdLength = 8 + 4 + 20;

        private readonly Dictionary<(string Run, int Thread), List<ulong>> _bits = [];
        private int _snapshots;

        public int Snapshots => Volatile.Read(ref _snapshots);

        /// <summary>When this stream last received bytes (<see cref="Environment.TickCount64"/>).</summary>
        public long LastReadAt => Volatile.Read(ref _lastReadAt);

        private long _lastReadAt = Environment.TickCount64;

        public IEnumerable<string> RunIds
        {
            get
            {
                lock (_bits) return _bits.Keys.Select(k => k.Run).Distinct().ToList();
            }
        }

        public long Count(string run)
        {
            lock (_bits)
                return _bits.Where(kv => kv.Key.Run == run).Sum(kv => kv.Value.Sum(word => (long)ulong.PopCount(word)));
        }

        /// <summary>Reads whole lines (an event's data is one line) and scans each batch of them.</summary>
        public async Task ReadAsync(Stream body, Action snapshotSeen, CancellationToken ct)
        {
            var buffer = new byte[256 * 1024];
            var filled = 0;
            while (true)
            {
                if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2); // a line longer than the buffer
                var read = await body.ReadAsync(buffer.AsMemory(filled), ct);
                if (read == 0) return;
                Volatile.Write(ref _lastReadAt, Environment.TickCount64);
                filled += read;
                var end = buffer.AsSpan(0, filled).LastIndexOf((byte)'\n') + 1;
                if (end == 0) continue;
                if (Scan(buffer.AsSpan(0, end))) snapshotSeen();
                buffer.AsSpan(end, filled - end).CopyTo(buffer);
                filled -= end;
            }
        }

        private bool Scan(ReadOnlySpan<byte> lines)
        {
            var snapshot = false;
            for (var rest = lines; rest.IndexOf(SnapshotPattern) is var at and >= 0; rest = rest[(at + SnapshotPattern.Length)..])
            {
                Interlocked.Increment(ref _snapshots);
                snapshot = true;
            }
            lock (_bits)
            {
                for (var rest = lines; rest.IndexOf(CallSidPattern) is var at and >= 0; rest = rest[(at + CallSidPattern.Length)..])
                {
                    var id = rest.Slice(at + CallSidPattern.Length);
                    if (id.Length < IdLength) break;
                    var run = Encoding.ASCII.GetString(id[..8]);
                    if (!int.TryParse(id.Slice(8, 4), out var thread) || !long.TryParse(id.Slice(12, 20), out var n)) continue;
                    if (!_bits.TryGetValue((run, thread), out var words)) _bits[(run, thread)] = words = [];
                    var word = (int)(n / 64);
                    while (words.Count <= word) words.Add(0);
                    words[word] |= 1UL << (int)(n % 64);
                }
            }
            return snapshot;
        }
    }
}
