using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace AppServer.Security;

/// <summary>
/// Keeps the webhook token out of every log line, including the framework's own ("Request starting … /incoming?token=…"
/// at Information, which is written before any middleware could intervene): every logger provider is wrapped, and a
/// <c>token=</c> value in a message or a structured value is written as <c>token=***</c>.
/// </summary>
public static partial class SecretRedaction
{
    /// <summary>
    /// The logger factory wraps every provider it is given — whenever it was registered — in one that masks secrets.
    /// (Provider-specific level rules, Logging:{Provider}:LogLevel, then no longer match: use the global Logging:LogLevel.)
    /// </summary>
    public static ILoggingBuilder RedactSecrets(this ILoggingBuilder logging)
    {
        logging.Services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new LoggerFactory(
            sp.GetServices<ILoggerProvider>().Select(p => (ILoggerProvider)new RedactingLoggerProvider(p)),
            sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(),
            sp.GetService<IExternalScopeProvider>())));
        return logging;
    }

    /// <summary>The text with every <c>token=</c> value masked (also URL-encoded separators).</summary>
    public static string Redact(string text) =>
        text.Contains("token", StringComparison.OrdinalIgnoreCase) ? TokenValue().Replace(text, "$1***") : text;

    [GeneratedRegex(@"((?:[?&]|%3F|%26|\b)token(?:=|%3D))[^&\s""'<>\\]*", RegexOptions.IgnoreCase)]
    private static partial Regex TokenValue();

    private sealed class RedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider, ISupportExternalScope
    {
        public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) =>
            (inner as ISupportExternalScope)?.SetScopeProvider(scopeProvider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (!message.Contains("token", StringComparison.OrdinalIgnoreCase))
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
                return;
            }
            var values = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
            var redacted = new RedactedState(Redact(message),
                values.Select(v => new KeyValuePair<string, object?>(v.Key, v.Value is string s ? Redact(s) : v.Value)).ToList());
            inner.Log(logLevel, eventId, redacted, exception, static (s, _) => s.Message);
        }
    }

    /// <summary>A log state like the framework's (structured values plus the message), with the secrets masked.</summary>
    private sealed class RedactedState(string message, List<KeyValuePair<string, object?>> values)
        : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;
        public KeyValuePair<string, object?> this[int index] => values[index];
        public int Count => values.Count;
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();
        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => Message;
    }
}
