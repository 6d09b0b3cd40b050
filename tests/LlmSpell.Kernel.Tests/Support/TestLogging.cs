using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace LlmSpell.Kernel.Tests.Support;

/// <summary>Routes kernel logs to the xunit output of the current test and keeps every formatted message.</summary>
public sealed class TestLoggerFactory(ITestOutputHelper output, LogLevel minimum = LogLevel.Information) : ILoggerFactory
{
    /// <summary>Each log call's formatted message, as a log sink would write it.</summary>
    public ConcurrentQueue<(EventId Event, string Message)> Messages { get; } = new();

    public ILogger CreateLogger(string categoryName) => new TestLogger(output, categoryName, minimum, Messages);
    public void AddProvider(ILoggerProvider provider) { }
    public void Dispose() { }

    private sealed class TestLogger(
        ITestOutputHelper output, string category, LogLevel minimum, ConcurrentQueue<(EventId, string)> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            messages.Enqueue((eventId, formatter(state, exception)));
            var shortCategory = category[(category.LastIndexOf('.') + 1)..];
            try
            {
                output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {shortCategory}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.GetType().Name + ": " + exception.Message)}");
            }
            catch (InvalidOperationException)
            {
                // The test has finished; drop late log lines.
            }
        }
    }
}
