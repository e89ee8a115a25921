using System.Text;
using System.Threading.Channels;
using AppServer.Calls;
using Npgsql;

namespace AppServer.Data.PostgreSql;

/// <summary>
/// The console's live feed across instances. Every change this process commits is sent to the others with
/// <c>pg_notify</c> on <see cref="Channel"/>, a few CallSids per notification: call writes inside their own transaction
/// (<see cref="Notifications"/>), actions after their commit, off the request's path;
/// a dedicated connection <c>LISTEN</c>s for theirs and hands each CallSid to this process's subscribers. No polling: the
/// server pushes, so a change reaches every console within milliseconds.
/// <para>
/// When the listening connection drops (a database restart, a network cut), it reconnects with backoff and then tells every
/// subscriber to read a full snapshot (<see cref="CallChangeFeed.RequestResnapshot"/>): notifications sent while nobody
/// listened are lost by PostgreSQL, the snapshot is not. Notifications that could not be sent are kept and retried.
/// </para>
/// </summary>
public sealed class PostgresChangeRelay(IConfiguration configuration, IServiceProvider services, TimeProvider time,
    ILogger<PostgresChangeRelay> logger) : BackgroundService, ICallChangeBroadcast
{
    public const string Channel = "appserver_calls";

    /// <summary>PostgreSQL refuses payloads of 8000 bytes or more.</summary>
    private const int MaxPayloadBytes = 7000;

    /// <summary>Beyond this many unsent changes (the database is down) one "everything changed" replaces them.</summary>
    private const int MaxPending = 10_000;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    /// <summary>Tells this process's notifications from the others' (PostgreSQL delivers them to the sender too).</summary>
    private readonly string _instance = Guid.NewGuid().ToString("N");

    private readonly Channel<string> _outgoing = System.Threading.Channels.Channel.CreateUnbounded<string>(
        new UnboundedChannelOptions { SingleReader = true });

    private NpgsqlDataSource? _listenSource;
    private NpgsqlConnection? _listening;
    private CallChangeFeed? _feed;

    /// <summary>Raised after every (re)connection of the listener; tests wait on it.</summary>
    public event Action? Listening;

    // Resolved on first use: the feed itself depends on this broadcast.
    private CallChangeFeed Feed => _feed ??= services.GetRequiredService<CallChangeFeed>();

    public void Send(string callSid) => _outgoing.Writer.TryWrite(callSid);

    /// <summary>The first LISTEN happens before the app takes requests, so a console opened at once misses nothing.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _listening = await ListenAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning(e, "The live feed could not LISTEN on PostgreSQL yet; retrying in the background");
        }
        await base.StartAsync(cancellationToken);
    }

    /// <summary>Sends what is still queued, then stops listening.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _outgoing.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(SendLoopAsync(stoppingToken), ListenLoopAsync(stoppingToken));

    private async Task SendLoopAsync(CancellationToken stoppingToken)
    {
        var pending = new HashSet<string>(StringComparer.Ordinal);
        var everything = false;
        var retry = FirstRetry;
        var reader = _outgoing.Reader;
        while (true)
        {
            if (pending.Count == 0 && !everything && !await reader.WaitToReadAsync(CancellationToken.None)) return;
            while (reader.TryRead(out var callSid))
                if (!everything && pending.Add(callSid) && pending.Count > MaxPending)
                {
                    everything = true;
                    pending.Clear();
                }
            try
            {
                await NotifyAsync(everything ? [CallChangeFeed.ResnapshotMarker] : pending);
                pending.Clear();
                everything = false;
                retry = FirstRetry;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                if (stoppingToken.IsCancellationRequested && reader.Completion.IsCompleted) return; // shutting down with the database gone
                logger.LogWarning("The live feed could not notify the other instances ({Reason}); retrying in {Delay} ms",
                    e.Message, retry.TotalMilliseconds);
                await Task.Delay(retry, time, CancellationToken.None);
                retry = Next(retry);
            }
        }
    }

    /// <summary>One <c>pg_notify</c> per payload of at most <see cref="MaxPayloadBytes"/>, all in one round trip.</summary>
    private async Task NotifyAsync(IReadOnlyCollection<string> callSids)
    {
        var source = services.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await source.OpenConnectionAsync();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var notification in Notifications(callSids)) batch.BatchCommands.Add(notification);
        if (batch.BatchCommands.Count > 0) await batch.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The <c>pg_notify</c> commands telling the other instances that <paramref name="callSids"/> changed. The call writer adds
    /// them to its own transaction (PostgreSQL delivers them when it commits, and only then: no extra round trip or
    /// transaction per group); other writers go through <see cref="ICallChangeBroadcast.Send"/>.
    /// </summary>
    public IEnumerable<NpgsqlBatchCommand> Notifications(IEnumerable<string> callSids)
    {
        var payload = new StringBuilder();
        foreach (var callSid in callSids)
        {
            if (payload.Length > 0 && Encoding.UTF8.GetByteCount(callSid) + payload.Length + 1 > MaxPayloadBytes)
            {
                yield return Notification(payload.ToString());
                payload.Clear();
            }
            payload.Append(payload.Length == 0 ? _instance + " " : ",").Append(callSid);
        }
        if (payload.Length > 0) yield return Notification(payload.ToString());
    }

    private static NpgsqlBatchCommand Notification(string payload) =>
        new("SELECT pg_notify($1, $2)")
        {
            Parameters = { new NpgsqlParameter { Value = Channel }, new NpgsqlParameter { Value = payload } },
        };

    private async Task ListenLoopAsync(CancellationToken stoppingToken)
    {
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_listening is null)
                {
                    _listening = await ListenAsync(stoppingToken);
                    // A restarted server broke every idle pooled connection too: drop them before the snapshots are read.
                    services.GetRequiredService<NpgsqlDataSource>().Clear();
                    // Whatever the others sent while nobody listened is lost: every console starts over from a snapshot.
                    Feed.RequestResnapshot();
                    logger.LogInformation("The live feed listens on PostgreSQL again; consoles re-read their snapshot");
                }
                retry = FirstRetry;
                while (true) await _listening.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogWarning("The live feed lost its PostgreSQL connection ({Reason}); reconnecting in {Delay} ms",
                    e.Message, retry.TotalMilliseconds);
                await DropListenerAsync();
                try
                {
                    await Task.Delay(retry, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                retry = Next(retry);
            }
        }
        await DropListenerAsync();
    }

    /// <summary>A connection of its own (never pooled: it stays busy listening), with keepalives so a dead link is noticed.</summary>
    private async Task<NpgsqlConnection> ListenAsync(CancellationToken ct)
    {
        _listenSource ??= ListenerSource();
        var connection = await _listenSource.OpenConnectionAsync(ct);
        try
        {
            connection.Notification += (_, e) => Received(e.Payload);
            await using var listen = new NpgsqlCommand($"LISTEN {Channel}", connection);
            await listen.ExecuteNonQueryAsync(ct);
            Listening?.Invoke();
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private NpgsqlDataSource ListenerSource()
    {
        var builder = new NpgsqlDataSourceBuilder(DataSetup.ConnectionString(configuration));
        builder.ConnectionStringBuilder.Pooling = false;
        if (builder.ConnectionStringBuilder.KeepAlive == 0) builder.ConnectionStringBuilder.KeepAlive = 10;
        return builder.Build();
    }

    /// <summary>"instance sid,sid,…" from another instance: its changes, for this process's subscribers.</summary>
    private void Received(string payload)
    {
        var space = payload.IndexOf(' ');
        if (space <= 0 || payload.AsSpan(0, space).SequenceEqual(_instance)) return;
        foreach (var callSid in payload[(space + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            if (callSid == CallChangeFeed.ResnapshotMarker) Feed.RequestResnapshot();
            else Feed.PublishLocal(callSid);
    }

    private async Task DropListenerAsync()
    {
        if (_listening is null) return;
        try
        {
            await _listening.DisposeAsync();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or ObjectDisposedException)
        {
            // it is broken already
        }
        _listening = null;
    }

    private static TimeSpan Next(TimeSpan retry) => retry * 2 > LastRetry ? LastRetry : retry * 2;

    public override void Dispose()
    {
        base.Dispose();
        _listening?.Dispose();
        _listenSource?.Dispose();
    }
}
