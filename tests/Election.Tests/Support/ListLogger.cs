using Microsoft.Extensions.Logging;

namespace Election.Tests.Support;

/// <summary>Captures log lines (message and structured state) for assertions.</summary>
public sealed class ListLogger : ILogger
{
    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];
    private readonly List<IReadOnlyList<KeyValuePair<string, object?>>> _scopes = [];
    private readonly List<(string Fragment, TaskCompletionSource Logged)> _waiters = [];

    public IReadOnlyList<Entry> Entries
    {
        get
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }

    /// <summary>Completes once a line containing <paramref name="fragment"/> was logged; a wall-clock bound only ends a hang.</summary>
    public Task WhenLoggedAsync(string fragment)
    {
        var logged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_entries.Any(e => e.Message.Contains(fragment, StringComparison.Ordinal)))
            {
                return Task.CompletedTask;
            }

            _waiters.Add((fragment, logged));
        }

        return logged.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, TestContext.Current.CancellationToken);
    }

    public int Count(string fragment) => Entries.Count(e => e.Message.Contains(fragment, StringComparison.Ordinal));

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
    {
        if (state is IEnumerable<KeyValuePair<string, object>> pairs)
        {
            lock (_gate)
            {
                _scopes.Add([.. pairs.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value))]);
            }
        }

        return null;
    }

    public IReadOnlyList<IReadOnlyList<KeyValuePair<string, object?>>> Scopes
    {
        get
        {
            lock (_gate)
            {
                return [.. _scopes];
            }
        }
    }

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var fields = state as IReadOnlyList<KeyValuePair<string, object?>> ?? [];
        lock (_gate)
        {
            var message = formatter(state, exception);
            _entries.Add(new Entry(logLevel, message, fields));
            foreach (var waiter in _waiters.Where(w => message.Contains(w.Fragment, StringComparison.Ordinal)).ToList())
            {
                waiter.Logged.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public sealed record Entry(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> Fields)
    {
        public object? this[string name] => Fields.FirstOrDefault(f => f.Key == name).Value;
    }
}
