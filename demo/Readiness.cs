namespace Demo;

/// <summary>Waits (bounded) until AppServer's /health and the emulator's /emulator/state answer.</summary>
public static class Readiness
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    public static async Task<bool> WaitAsync(HttpClient http, DemoOptions options, ChildProcess[] children, CancellationToken stop)
    {
        var deadline = DateTime.UtcNow + Limit;
        while (!stop.IsCancellationRequested)
        {
            if (children.FirstOrDefault(c => c.HasExited) is not null)
            {
                Console.Error.WriteLine("[demo] AppServer or the emulator stopped while starting (is a port in use? see its lines above)");
                return false;
            }
            if (await AnswersAsync(http, new Uri(options.AppServer, "health"), stop)
                && await AnswersAsync(http, new Uri(options.Emulator, "emulator/state"), stop))
                return true;
            if (DateTime.UtcNow > deadline)
            {
                Console.Error.WriteLine($"[demo] AppServer and the emulator were not both up within {Limit.TotalSeconds:0} s");
                return false;
            }
            try
            {
                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        return false;
    }

    private static async Task<bool> AnswersAsync(HttpClient http, Uri url, CancellationToken stop)
    {
        try
        {
            using var response = await http.GetAsync(url, stop);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
