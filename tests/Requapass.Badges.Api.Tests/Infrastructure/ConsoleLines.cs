using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Requapass.Badges.Api.Tests.Infrastructure;

/// <summary>
/// Every log line as the service's console would print it: the formatter the service chose
/// (Logging:Format) with its options, and the scopes the logger factory adds (the trace and span
/// ids). Kept in memory instead of on the process's console, which all test hosts share.
/// </summary>
public sealed class ConsoleLines : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IServiceProvider? _services;
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    /// <summary>The provider, bound to the service's container (its formatters and options).</summary>
    public ILoggerProvider Attach(IServiceProvider services)
    {
        _services = services;
        return this;
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose() { }

    private ConsoleFormatter Formatter()
    {
        var name = _services!.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName ?? ConsoleFormatterNames.Simple;
        return _services!.GetRequiredService<IEnumerable<ConsoleFormatter>>().Single(f => f.Name == name);
    }

    private sealed class Logger(string category, ConsoleLines owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (owner._services is null) { return; }
            using var writer = new StringWriter();
            owner.Formatter().Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), owner._scopes, writer);
            foreach (var line in writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)) { owner._lines.Enqueue(line.TrimEnd('\r')); }
        }
    }
}
