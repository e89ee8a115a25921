using System.Threading.Channels;

namespace AppServer.Conferences;

/// <summary>
/// Ends a room when its customer hangs up (docs/platform.md §8.6): nobody else — agent, SIP or PSTN guest — is left
/// talking to nobody, or billed for it. The webhook that reports the customer's end only queues the room here, so it
/// answers the platform at once; this service, started with the host, hangs up the members.
/// </summary>
public sealed class RoomLifetime(IServiceScopeFactory scopes, ILogger<RoomLifetime> logger) : BackgroundService
{
    private readonly Channel<(string Room, string CustomerCallSid)> _ended =
        Channel.CreateUnbounded<(string, string)>(new UnboundedChannelOptions { SingleReader = true });

    public void CustomerLeft(string room, string customerCallSid) => _ended.Writer.TryWrite((room, customerCallSid));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (room, customer) in _ended.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var outcome = await scope.ServiceProvider.GetRequiredService<EndRoom>().RunAsync(room, customer, stoppingToken);
                logger.LogInformation("Room {Room} ended after its customer {CallSid} hung up: {Outcome}", room, customer, outcome.GetType().Name);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Reconciliation ends what is left once the platform reports it; the next room must not wait on this one.
                logger.LogError(e, "Ending room {Room} after its customer {CallSid} hung up failed", room, customer);
            }
        }
    }
}
