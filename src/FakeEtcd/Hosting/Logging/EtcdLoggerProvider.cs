using Microsoft.Extensions.Logging;

namespace FakeEtcd.Hosting.Logging;

/// <summary>
/// Routes Microsoft.Extensions.Logging (Kestrel, hosting, FakeEtcd's own categories) into an
/// <see cref="EtcdLog"/>: the category is zap's caller, a message template's values are zap's fields.
/// </summary>
internal sealed class EtcdLoggerProvider(EtcdLog log) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new CategoryLogger(log, categoryName);

    public void Dispose()
    {
        // Nothing to flush: every line is written whole and flushed.
    }

    private sealed class CategoryLogger(EtcdLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => log.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var fields = new List<KeyValuePair<string, object?>>();
            if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                fields.AddRange(values.Where(v => v.Key != "{OriginalFormat}"));
            }

            if (exception is not null)
            {
                fields.Add(new("error", exception.Message));
            }

            log.Write(logLevel, category, formatter(state, exception), fields);
        }
    }
}
