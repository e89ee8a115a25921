using System.Threading.Channels;
using AppServer.Conferences;
using AppServer.Transfers;

namespace AppServer.Legs;

/// <summary>
/// What AppServer does by itself when a leg's reported progress calls for it (docs/platform.md §8): the webhook that
/// reports it only queues the reaction here, so it answers the platform at once; this service, started with the host,
/// runs each as an action on record.
/// </summary>
public sealed class LiveCallReactions(IServiceScopeFactory scopes, ILogger<LiveCallReactions> logger) : BackgroundService
{
    private abstract record Reaction;

    /// <summary>A room's customer hung up: nobody else — agent, SIP or PSTN guest — is left talking to nobody, or billed for it.</summary>
    private sealed record EndRoomReaction(string Room, string CustomerCallSid) : Reaction;

    /// <summary>A warm transfer's target did not answer: the customer goes back to the consulting agent.</summary>
    private sealed record ReturnFromConsultReaction(string TransferId, string Reason) : Reaction;

    private readonly Channel<Reaction> _queue = Channel.CreateUnbounded<Reaction>(new UnboundedChannelOptions { SingleReader = true });

    public void CustomerLeft(string room, string customerCallSid) => _queue.Writer.TryWrite(new EndRoomReaction(room, customerCallSid));

    public void TargetDidNotAnswer(string transferId, string reason) => _queue.Writer.TryWrite(new ReturnFromConsultReaction(transferId,
        reason));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var reaction in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var services = scope.ServiceProvider;
                var outcome = reaction switch
                {
                    EndRoomReaction end => await services.GetRequiredService<EndRoom>().RunAsync(end.Room, end.CustomerCallSid,
                        stoppingToken),
                    ReturnFromConsultReaction back =>
                        await services.GetRequiredService<CancelWarmTransfer>().RunAsync(back.TransferId, null, back.Reason, stoppingToken),
                    _ => null,
                };
                logger.LogInformation("{Reaction} done: {Outcome}", reaction, outcome?.GetType().Name);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Reconciliation ends what is left once the platform reports it; the next reaction must not wait on this one.
                logger.LogError(e, "{Reaction} failed", reaction);
            }
        }
    }
}
