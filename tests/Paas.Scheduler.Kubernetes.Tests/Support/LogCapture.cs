using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Paas.Scheduler.Kubernetes.Tests.Support;

public sealed record LogEntry(LogLevel Level, string Message);

/// <summary>Keeps what the scheduler logs, so a test can check it told the operator what it did.</summary>
public sealed class LogCapture
{
    private readonly ConcurrentQueue<LogEntry> entries = new();

    public IReadOnlyList<LogEntry> Entries => [.. entries];

    public ILogger<T> CreateLogger<T>() => new Logger<T>(entries);

    private sealed class Logger<T>(ConcurrentQueue<LogEntry> entries) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogEntry(logLevel, formatter(state, exception)));
    }
}
