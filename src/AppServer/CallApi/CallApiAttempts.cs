using System.Diagnostics;

namespace AppServer.CallApi;

/// <summary>
/// One CallAPI request as its attempts see it. <see cref="LiveCallClient"/> puts it on the request's
/// <see cref="HttpRequestMessage.Options"/>; the retry reads <see cref="MayRetry"/> and <see cref="CallApiAttemptHandler"/>
/// times and journals each attempt, so a retried request leaves one exchange per attempt.
/// </summary>
internal sealed class CallApiAttempts(string method, string path, IReadOnlyList<KeyValuePair<string, string>> maskedForm,
    CallApiJournal? journal, bool retryable, CancellationToken callerToken)
{
    public static readonly HttpRequestOptionsKey<CallApiAttempts> Key = new("AppServer.CallApiAttempts");

    private DateTimeOffset _startedAt;
    private TimeSpan _duration;

    /// <summary>True for a request that may be repeated (modify, read) until the platform answers: from then on it is final.</summary>
    public bool MayRetry { get; private set; } = retryable;

    /// <summary>The caller gave up: its request is not journaled (as before: cancellation is not a platform failure).</summary>
    public bool Abandoned => callerToken.IsCancellationRequested;

    /// <summary>How long the last attempt took.</summary>
    public TimeSpan Duration => _duration;

    public static bool MayRetryRequest(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Key, out var attempts) && attempts.MayRetry;

    public void Answered() => MayRetry = false;

    public void Timed(DateTimeOffset startedAt, TimeSpan duration) => (_startedAt, _duration) = (startedAt, duration);

    /// <summary>Journals the last attempt; <paramref name="body"/> must already be masked.</summary>
    public void Record(int? status, string? body, string outcome) =>
        journal?.Add(new CallApiExchange(_startedAt, method, path, maskedForm, status, body, _duration, outcome));
}

/// <summary>
/// Sits inside the resilience handler (added after it), so it sees every attempt: times it, reads the body within the
/// attempt's timeout, and journals attempts that got no usable answer. An answered attempt is journaled by
/// <see cref="LiveCallClient"/> once it has read the body, since only it knows whether the body is what was promised.
/// </summary>
internal sealed class CallApiAttemptHandler(TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        if (!request.Options.TryGetValue(CallApiAttempts.Key, out var attempts)) return await base.SendAsync(request, ct);

        var startedAt = time.GetUtcNow();
        var clock = Stopwatch.StartNew();
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, ct);
            attempts.Answered(); // the platform may have acted: whatever happens next, this attempt is final
            await response.Content.LoadIntoBufferAsync(ct);
            attempts.Timed(startedAt, clock.Elapsed);
            return response;
        }
        catch (Exception e)
        {
            var status = (int?)response?.StatusCode;
            response?.Dispose();
            attempts.Timed(startedAt, clock.Elapsed);
            // Cancelled while the caller still waits: the pipeline's per-attempt timeout fired.
            var failure = e is OperationCanceledException ? CallApiFailure.Timeout : CallApiFailure.ConnectionFailed;
            if (!attempts.Abandoned) attempts.Record(status, null, failure.ToString());
            throw;
        }
    }
}
