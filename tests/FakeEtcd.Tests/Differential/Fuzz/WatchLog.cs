using System.Text;
using Etcdserverpb;
using Grpc.Core;

namespace FakeEtcd.Tests.Differential.Fuzz;

/// <summary>
/// One Watch stream on one server, read continuously in the background (so etcd never has to hold
/// events back), with what each watcher has delivered. Compared as flat per-watch-id event lists:
/// how etcd batches revisions into responses depends on its 100 ms sync loop, the events do not.
/// </summary>
internal sealed class WatchLog : IAsyncDisposable
{
    private static readonly TimeSpan WaitBudget = TimeSpan.FromSeconds(20);

    private readonly AsyncDuplexStreamingCall<WatchRequest, WatchResponse> _call;
    private readonly Task _reader;
    private readonly Lock _gate = new();
    private readonly Queue<WatchCreateRequest> _pendingCreates = new();
    private readonly Dictionary<long, WatcherState> _watchers = [];
    private readonly List<WatchResponse> _rejected = [];
    private TaskCompletionSource _changed = NewSignal();
    private Exception? _failure;

    public WatchLog(EtcdClients clients, CancellationToken cancellationToken)
    {
        _call = clients.Watch.Watch(cancellationToken: cancellationToken);
        _reader = Task.Run(() => ReadAsync(cancellationToken), cancellationToken);
    }

    /// <summary>Created responses received (rejections included).</summary>
    public int CreatedResponses { get; private set; }

    public async Task SendAsync(WatchRequest request)
    {
        lock (_gate)
        {
            if (request.CreateRequest is { } create)
            {
                _pendingCreates.Enqueue(create);
            }
        }

        await _call.RequestStream.WriteAsync(request);
    }

    /// <summary>Watchers that are created and not canceled, with their create requests.</summary>
    public IReadOnlyList<(long Id, WatchCreateRequest Request)> OpenWatchers()
    {
        lock (_gate)
        {
            return [.. _watchers.Values.Where(w => !w.Canceled).Select(w => (w.Id, w.Request))];
        }
    }

    public bool IsCanceled(long id)
    {
        lock (_gate)
        {
            return !_watchers.TryGetValue(id, out var w) || w.Canceled;
        }
    }

    /// <summary>
    /// True when a cancel of <paramref name="id"/> gets an answer: etcd keeps a watcher's id after a
    /// compaction cancel and forgets it only on a client cancel.
    /// </summary>
    public bool AnswersCancel(long id)
    {
        lock (_gate)
        {
            return _watchers.TryGetValue(id, out var w) && !w.ClientCanceled;
        }
    }

    public bool IsClientCanceled(long id)
    {
        lock (_gate)
        {
            return _watchers.TryGetValue(id, out var w) && w.ClientCanceled;
        }
    }

    public long LastEventRevision(long id)
    {
        lock (_gate)
        {
            return _watchers.TryGetValue(id, out var w) ? w.LastEventRevision : 0;
        }
    }

    /// <summary>Waits (wall-clock budget only as a safety net) until <paramref name="condition"/> holds.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what, string side)
    {
        using var budget = new CancellationTokenSource(WaitBudget, TimeProvider.System);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (_failure is not null)
                {
                    throw new InvalidOperationException($"{side}: watch stream failed while waiting for {what}", _failure);
                }

                changed = _changed.Task;
            }

            if (condition())
            {
                return;
            }

            try
            {
                await changed.WaitAsync(budget.Token);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested)
            {
                throw new TimeoutException($"{side}: no {what} within {WaitBudget}.\n{Describe(new ResponseMask(true))}");
            }
        }
    }

    /// <summary>Every watcher's created/canceled responses and events, masked, grouped by watch id.</summary>
    public string Describe(ResponseMask mask)
    {
        var sb = new StringBuilder();
        lock (_gate)
        {
            foreach (var rejected in _rejected)
            {
                sb.Append("[rejected create]\n").Append(ProtoText.Format(mask.Apply(rejected))).Append('\n');
            }

            foreach (var watcher in _watchers.Values.OrderBy(w => w.Id))
            {
                sb.Append("[watch ").Append(watcher.Id).Append("]\n");
                foreach (var item in watcher.Items)
                {
                    sb.Append(item switch
                    {
                        WatchResponse r => ProtoText.Format(mask.Apply(r)),
                        Mvccpb.Event e => "event " + ProtoText.Format(mask.Apply(e)).ReplaceLineEndings(" "),
                        _ => item.ToString(),
                    }).Append('\n');
                }
            }
        }

        return sb.ToString();
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _call.ResponseStream.MoveNext(cancellationToken))
            {
                Record(_call.ResponseStream.Current);
            }
        }
        catch (Exception e) when (e is RpcException or OperationCanceledException or ObjectDisposedException)
        {
            lock (_gate)
            {
                _failure ??= e;
            }
        }
        finally
        {
            Signal();
        }
    }

    private void Record(WatchResponse response)
    {
        lock (_gate)
        {
            if (response.Created)
            {
                CreatedResponses++;
                var request = _pendingCreates.Count > 0 ? _pendingCreates.Dequeue() : new WatchCreateRequest();
                var control = Control(response, keepHeader: true);
                if (response.Canceled || response.WatchId < 0)
                {
                    _rejected.Add(control);
                }
                else
                {
                    var watcher = new WatcherState(response.WatchId, request);
                    watcher.Items.Add(control);
                    _watchers[response.WatchId] = watcher;
                }
            }
            else if (_watchers.TryGetValue(response.WatchId, out var watcher))
            {
                foreach (var e in response.Events)
                {
                    watcher.Items.Add(e);
                    watcher.LastEventRevision = Math.Max(watcher.LastEventRevision, e.Kv.ModRevision);
                }

                if (response.Canceled)
                {
                    watcher.Canceled = true;
                    watcher.ClientCanceled |= response.CompactRevision == 0;
                    // A compaction cancel's header revision is whatever etcd's sync loop saw; a client cancel's is exact.
                    watcher.Items.Add(Control(response, keepHeader: response.CompactRevision == 0));
                }
            }
            else
            {
                _rejected.Add(Control(response, keepHeader: true));
            }
        }

        Signal();
    }

    /// <summary>The response without events (and without the fragment flag and header when they are timing).</summary>
    private static WatchResponse Control(WatchResponse response, bool keepHeader)
    {
        var copy = response.Clone();
        copy.Events.Clear();
        copy.Fragment = false;
        if (!keepHeader)
        {
            copy.Header = null;
        }

        return copy;
    }

    private void Signal()
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async ValueTask DisposeAsync()
    {
        _call.Dispose();
        try
        {
            await _reader;
        }
        catch (OperationCanceledException)
        {
            // The test was canceled.
        }
    }

    private sealed class WatcherState(long id, WatchCreateRequest request)
    {
        public long Id { get; } = id;

        public WatchCreateRequest Request { get; } = request;

        public List<object> Items { get; } = [];

        public long LastEventRevision { get; set; }

        public bool Canceled { get; set; }

        public bool ClientCanceled { get; set; }
    }
}
