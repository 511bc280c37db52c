using Microsoft.Extensions.Logging;

namespace Coordinator.Logging;

/// <summary>One category's logger of a <see cref="MilvusLoggerProvider"/>.</summary>
internal sealed class MilvusLogger(string category, MilvusLoggerProvider provider) : ILogger
{
    /// <summary>Scopes are not printed: Milvus's lines carry only the call's own fields.</summary>
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= provider.MinimumLevel;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        var fields = LogFields.Unmentioned(state);
        if (exception is not null)
        {
            // zap.Error(err) prints as [error=...].
            fields.Add(new("error", exception.Message));
        }

        var line = MilvusLogLine.Format(provider.Now(), logLevel, MilvusCallers.For(category, eventId), formatter(state, exception), fields);
        provider.Write(line);
    }
}
