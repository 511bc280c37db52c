namespace FakeEtcd.Clock;

/// <summary>
/// Hands a call's result to the application before what ends its count runs: the caller's task is
/// completed from here, so its continuation runs inline up to its next await first, and its reaction
/// to an answer (the takeover after a CAS, the CAS after a watch event) happens while the answer
/// still counts. A result already there is handed over from the pool for the same reason: returned
/// at once, the caller would react after the count ended.
/// </summary>
/// <remarks>Shared as source by the in-process URL-client counting and the remote follower.</remarks>
internal static class CallerHandover
{
    /// <summary>The caller's task for <paramref name="inner"/>; <paramref name="after"/> runs once the caller has run on from it.</summary>
    public static Task<T> ThenAsync<T>(Task<T> inner, Action<Task<T>> after) =>
        ThenAsync(inner, static done => done, after);

    /// <summary>
    /// As <see cref="ThenAsync{T}(Task{T}, Action{Task{T}})"/>, with <paramref name="before"/> run on the
    /// finished task before the caller sees it (a read buffer the caller may reuse is parsed there).
    /// </summary>
    public static Task<T> ThenAsync<T, TState>(Task<T> inner, Func<Task<T>, TState> before, Action<TState> after)
    {
        var handover = new Pending<T, TState>(inner, before, after);
        inner.ContinueWith(
            static (_, s) => ((Pending<T, TState>)s!).Finished(), handover, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return handover.Returned();
    }

    /// <summary>A result already there: the caller gets it from the pool, and <paramref name="after"/> runs once it has run on.</summary>
    public static Task<T> HandOverAsync<T, TState>(T result, TState state, Action<TState> after)
    {
        var caller = new TaskCompletionSource<T>();
        ThreadPool.UnsafeQueueUserWorkItem(
            static s =>
            {
                var (caller, result, state, after) = s;
                try
                {
                    caller.TrySetResult(result);
                }
                finally
                {
                    after(state);
                }
            },
            (caller, result, state, after),
            preferLocal: false);
        return caller.Task;
    }

    private sealed class Pending<T, TState>(Task<T> inner, Func<Task<T>, TState> before, Action<TState> after)
    {
        private readonly TaskCompletionSource<T> _caller = new();
        private int _returned;

        public Task<T> Returned()
        {
            Volatile.Write(ref _returned, 1);
            return _caller.Task;
        }

        public void Finished()
        {
            // Finished before the caller holds its task (already done, or done while the continuation was
            // being registered): completed inline, the caller would only see it after the count ended.
            if (Volatile.Read(ref _returned) == 0)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static s => s.Run(), this, preferLocal: false);
            }
            else
            {
                Run();
            }
        }

        private void Run()
        {
            TState state;
            try
            {
                state = before(inner);
            }
            catch (Exception e)
            {
                _caller.TrySetException(e);
                return;
            }

            try
            {
                if (inner.IsCompletedSuccessfully)
                {
                    _caller.TrySetResult(inner.Result);
                }
                else if (inner.IsCanceled)
                {
                    _caller.TrySetCanceled(CanceledToken(inner));
                }
                else
                {
                    _caller.TrySetException(inner.Exception!.InnerExceptions);
                }
            }
            finally
            {
                after(state);
            }
        }

        private static CancellationToken CanceledToken(Task<T> canceled)
        {
            try
            {
                canceled.GetAwaiter().GetResult();
                return CancellationToken.None;
            }
            catch (OperationCanceledException e)
            {
                return e.CancellationToken;
            }
        }
    }
}
