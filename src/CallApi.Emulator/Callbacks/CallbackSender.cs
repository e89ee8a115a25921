using System.Threading.Channels;
using CallApi.Emulator.Activity;
using CallApi.Emulator.Rcml;

namespace CallApi.Emulator.Callbacks;

/// <summary>
/// Sends status callbacks one at a time in the order they happened (a "completed" never overtakes its "ringing").
/// Their answers are ignored, as on the platform.
/// </summary>
public sealed class CallbackSender(ApplicationClient client, ActivityTracker tracker, ILogger<CallbackSender> logger) : BackgroundService
{
    private readonly Channel<ApplicationRequest> _queue = Channel.CreateUnbounded<ApplicationRequest>(
        new UnboundedChannelOptions { SingleReader = true });

    public void Enqueue(ApplicationRequest request)
    {
        tracker.Enter();
        if (!_queue.Writer.TryWrite(request))
        {
            tracker.Exit();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Runs until shutdown; each send is bounded by the HTTP client's timeout.
        await foreach (var request in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                using var response = await client.SendAsync(request, stoppingToken);
                logger.LogDebug("Callback {Url} answered {Status}", request.Url, (int)response.StatusCode);
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning("Callback {Method} {Url} failed: {Error}", request.Method, request.Url, ex.Message);
            }
            finally
            {
                tracker.Exit();
            }
        }
    }
}
