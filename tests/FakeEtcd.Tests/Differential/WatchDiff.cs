using Etcdserverpb;
using Grpc.Core;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// One Watch stream open on each server of a <see cref="DiffPair"/>. Requests go to both; responses
/// are read until an expected count (a deterministic point, never a quiet period) and compared
/// after masking. etcd writes control responses (created, canceled, progress) and event responses
/// through separate channels, so only the order within one watch id is fixed: responses are
/// compared per watch id, in arrival order. Wall-clock waits are only safety timeouts.
/// </summary>
public sealed class WatchDiff : IAsyncDisposable
{
    private static readonly TimeSpan ReadBudget = TimeSpan.FromSeconds(15);

    /// <summary>The key <see cref="Fence"/> watches and puts: above every key the tests write.</summary>
    public const string FenceKey = "~watch-diff-fence";

    /// <summary>
    /// The fence watcher's id, chosen by the client: the same on both servers even where their
    /// automatic ids differ (etcd 3.4 and 3.5 reject some creates differently).
    /// </summary>
    public const long FenceWatchId = 999_999;

    private readonly DiffPair _pair;
    private readonly Side _reference;
    private readonly Side _candidate;
    private int _step;

    private WatchDiff(DiffPair pair)
    {
        _pair = pair;
        _reference = new Side(pair.Reference.Watch.Watch());
        _candidate = new Side(pair.Candidate.Watch.Watch());
    }

    public static WatchDiff Open(DiffPair pair) => new(pair);

    /// <summary>Sends <paramref name="request"/> on both streams.</summary>
    public async Task Send(WatchRequest request)
    {
        await _reference.Call.RequestStream.WriteAsync(request);
        await _candidate.Call.RequestStream.WriteAsync(request);
    }

    public Task Create(WatchCreateRequest create) => Send(new WatchRequest { CreateRequest = create });

    public Task Cancel(long id) => Send(new WatchRequest { CancelRequest = new WatchCancelRequest { WatchId = id } });

    public Task RequestProgress() => Send(new WatchRequest { ProgressRequest = new WatchProgressRequest() });

    /// <summary>Half-closes both request streams.</summary>
    public async Task CompleteRequests()
    {
        await _reference.Call.RequestStream.CompleteAsync();
        await _candidate.Call.RequestStream.CompleteAsync();
    }

    /// <summary>
    /// Reads <paramref name="count"/> responses from each server and asserts they are equal per
    /// watch id after masking. Returns the reference's masked responses in arrival order.
    /// </summary>
    public async Task<IReadOnlyList<WatchResponse>> Expect(int count, string label)
    {
        var reference = await _reference.Read(count);
        var candidate = await _candidate.Read(count);
        var step = ++_step;
        var referenceText = Describe(reference);
        TestContext.Current.TestOutputHelper?.WriteLine($"watch step {step}: {label}\n{referenceText}");
        var candidateText = Describe(candidate);
        if (!SamePerWatchId(reference, candidate))
        {
            throw new Xunit.Sdk.XunitException(
                $"Watch step {step} differs: {label}\n--- etcd (reference, masked, by watch id)\n{referenceText}\n" +
                $"--- candidate (masked, by watch id)\n{candidateText}");
        }

        return reference;
    }

    /// <summary>
    /// Ends a test's stream at a known point, so that a response either server sent after the last
    /// <see cref="Expect"/> fails the test instead of going unread: a new watcher on
    /// <see cref="FenceKey"/> and a put to it. etcd sends control responses in order on one channel
    /// and events in revision order on another, so anything trailing arrives before the fence's
    /// created response or before its event, and is read and compared with them.
    /// </summary>
    /// <param name="alsoSeenBy">Open watchers whose range covers <see cref="FenceKey"/>; each gets the fence's put too.</param>
    public async Task Fence(int alsoSeenBy = 0)
    {
        await Create(new WatchCreateRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8(FenceKey), WatchId = FenceWatchId });
        await Expect(1, "fence: the fence watcher's created, no control response before it"); // a put before it is registered would not reach it
        await _pair.Put(FenceKey, "fence");
        await Expect(1 + alsoSeenBy, $"fence: its event, {alsoSeenBy} other watcher(s) see the put, no event before them");
    }

    /// <summary>
    /// A step where etcd 3.4 and 3.5 answer differently (docs/compatibility.md). Under the 3.4 profile
    /// (<see cref="DiffTargets.Is34"/>) it is <see cref="Expect"/>: <paramref name="count"/> responses
    /// from each, equal. Under 3.5 the reference's <paramref name="count"/> responses are read and the
    /// candidate's <paramref name="count35"/> go to <paramref name="expect35"/>.
    /// </summary>
    public async Task Expect35(int count, string label, int count35, Action<IReadOnlyList<WatchResponse>> expect35)
    {
        if (DiffTargets.Is34)
        {
            await Expect(count, label);
            return;
        }

        await _reference.Read(count);
        expect35(await _candidate.Read(count35));
    }

    /// <summary>Per watch id, in arrival order: the only order etcd guarantees across its two send channels.</summary>
    public static string Describe(IEnumerable<WatchResponse> responses) => string.Join(
        "\n",
        responses.GroupBy(r => r.WatchId).OrderBy(g => g.Key).Select(g =>
            $"[watch {g.Key}]\n" + string.Join("\n--\n", g.Select(ProtoText.Format))));

    /// <summary>Whole messages compared, per watch id in arrival order (the text is for failure messages only).</summary>
    public static bool SamePerWatchId(IReadOnlyList<WatchResponse> left, IReadOnlyList<WatchResponse> right)
    {
        var l = left.GroupBy(r => r.WatchId).OrderBy(g => g.Key).ToList();
        var r = right.GroupBy(x => x.WatchId).OrderBy(g => g.Key).ToList();
        return l.Count == r.Count && l.Zip(r).All(p => p.First.Key == p.Second.Key && p.First.SequenceEqual(p.Second));
    }

    public async ValueTask DisposeAsync()
    {
        _reference.Call.Dispose();
        _candidate.Call.Dispose();
        await Task.CompletedTask;
    }

    private sealed class Side(AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call)
    {
        private readonly ResponseMask _mask = new(maskLeaseIds: true);

        public AsyncDuplexStreamingCall<WatchRequest, WatchResponse> Call { get; } = call;

        public async Task<List<WatchResponse>> Read(int count)
        {
            var read = new List<WatchResponse>();
            using var budget = new CancellationTokenSource(ReadBudget, TimeProvider.System);
            while (read.Count < count)
            {
                if (!await Call.ResponseStream.MoveNext(budget.Token))
                {
                    throw new Xunit.Sdk.XunitException($"stream ended after {read.Count} of {count} responses:\n{Describe(read)}");
                }

                read.Add(_mask.Apply(Call.ResponseStream.Current));
            }

            return read;
        }
    }
}
