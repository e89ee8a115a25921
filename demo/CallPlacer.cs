using System.Net.Http.Json;
using System.Text.Json;

namespace Demo;

/// <summary>
/// The callers: every interval someone dials AppServer's number through the emulator, exactly as the platform would
/// deliver a real call (incoming webhook, RCML, bob's leg answering). Only the newest few stay up: the oldest caller
/// hangs up, so the console always has live calls to transfer and never an endless list.
/// </summary>
public sealed class CallPlacer(HttpClient emulator, DemoOptions options)
{
    public const string DemoNumber = "+15550001000";

    private readonly Queue<string> _live = new();
    private int _placed;

    public async Task RunAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(options.Interval);
        do
        {
            try
            {
                await PlaceOneAsync(stop);
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException
                                           || (ex is OperationCanceledException && !stop.IsCancellationRequested))
            {
                Console.WriteLine($"[demo] could not place a call: {ex.Message}");
            }
        } while (await Tick(timer, stop));
    }

    private static async Task<bool> Tick(PeriodicTimer timer, CancellationToken stop)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stop);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task PlaceOneAsync(CancellationToken stop)
    {
        while (_live.Count >= options.MaxLiveCalls)
        {
            var oldest = _live.Dequeue();
            // The caller may be gone already (hung up from the console): the emulator says so, nothing to do.
            using var _ = await emulator.PostAsync($"emulator/calls/{oldest}/hangup", null, stop);
        }
        var caller = $"+1555010{(++_placed % 10000):D4}";
        using var response = await emulator.PostAsync("emulator/incoming",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["From"] = caller, ["To"] = DemoNumber }), stop);
        response.EnsureSuccessStatusCode();
        var call = await response.Content.ReadFromJsonAsync<JsonElement>(stop);
        var sid = call.GetProperty("sid").GetString()!;
        _live.Enqueue(sid);
        Console.WriteLine($"[demo] call {_placed} from {caller} to {DemoNumber} ({sid})");
    }
}
