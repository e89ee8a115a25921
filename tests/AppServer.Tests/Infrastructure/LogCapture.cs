using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace AppServer.Tests.Infrastructure;

/// <summary>Every line an app logged, formatted, with its category and level — and its structured values.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> Values);

/// <summary>A logger provider that keeps what the app logs, for tests that assert on log lines.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _logs = new();

    public IReadOnlyList<CapturedLog> Logs => _logs.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _logs);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> logs) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            // Values are read now: the framework's request log reads its values from the request, gone once it ends.
            logs.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception),
                (state as IReadOnlyList<KeyValuePair<string, object?>> ?? [])
                    .Select(v => new KeyValuePair<string, object?>(v.Key, v.Value?.ToString())).ToList()));
    }
}
