namespace AppServer.CallApi;

/// <summary>One HTTP request to the platform and what came back, for the transfer's audit trail.</summary>
public sealed record CallApiExchange(
    DateTimeOffset StartedAt,
    string Method,
    string Path,
    IReadOnlyList<KeyValuePair<string, string>> Form,
    int? ResponseStatus,
    string? ResponseBody,
    TimeSpan Duration,
    string Outcome);

/// <summary>Collects the exchanges of one operation; the caller persists them (the client stays storage-free).</summary>
public sealed class CallApiJournal
{
    private readonly List<CallApiExchange> _exchanges = [];
    private readonly Lock _gate = new();

    public void Add(CallApiExchange exchange)
    {
        lock (_gate) _exchanges.Add(exchange);
    }

    /// <summary>Removes and returns what was recorded since the last call.</summary>
    public IReadOnlyList<CallApiExchange> Drain()
    {
        lock (_gate)
        {
            var taken = _exchanges.ToList();
            _exchanges.Clear();
            return taken;
        }
    }
}
