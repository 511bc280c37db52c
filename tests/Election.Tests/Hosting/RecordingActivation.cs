using Election.Hosting;
using Microsoft.Extensions.Options;

namespace Election.Tests.Hosting;

/// <summary>The active's work as a test sees it, across hosts: who began and ended when, in virtual time and in order.</summary>
public sealed class ActivationRecord(TimeProvider clock)
{
    private readonly Lock _gate = new();
    private readonly List<string> _events = [];
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private Exception? _throw;

    /// <summary>"10.0.0.1:53100 began at 0s", in the order they happened.</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Completes once <paramref name="count"/> events were noted; a wall-clock bound only ends a hang.</summary>
    public Task WhenNotedAsync(int count)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_events.Count >= count)
            {
                return Task.CompletedTask;
            }

            _waiters.Add((count, reached));
        }

        return reached.Task.WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System, TestContext.Current.CancellationToken);
    }

    /// <summary>The next activation throws this (once).</summary>
    public void ThrowOnce(Exception failure)
    {
        lock (_gate)
        {
            _throw = failure;
        }
    }

    public Exception? Note(string who, string what)
    {
        lock (_gate)
        {
            var elapsed = clock.GetUtcNow() - FakeEtcd.VirtualClock.DefaultStart;
            _events.Add($"{who} {what} at {elapsed.TotalSeconds:0.###}s");
            foreach (var waiter in _waiters.Where(w => _events.Count >= w.Count).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }

            var failure = _throw;
            _throw = null;
            return failure;
        }
    }
}

/// <summary>Works until its token is cancelled, as a coordinator's active does; named by its address.</summary>
public sealed class RecordingActivation(ActivationRecord record, IOptions<ActiveStandbyHostOptions> options) : IActiveStandbyActivation
{
    public async Task ActivateAsync(CancellationToken stopping)
    {
        var who = options.Value.Address;
        if (record.Note(who, "began") is { } failure)
        {
            throw failure;
        }

        // Continued inline by the cancellation: the work ends within the session's stop or loss, as a
        // virtual clock's settle can see, not after a hop through the thread pool.
        var stopped = new TaskCompletionSource();
        await using (stopping.Register(() => stopped.TrySetResult()))
        {
            await stopped.Task;
        }

        record.Note(who, "ended");
    }
}
