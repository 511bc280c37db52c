using Etcdserverpb;
using Google.Protobuf;
using FilterType = Etcdserverpb.WatchCreateRequest.Types.FilterType;

namespace FakeEtcd.Tests.Differential.Fuzz;

/// <summary>Where a fuzz run first disagreed: the step (or the final watch comparison) and both answers.</summary>
public sealed record FuzzDivergence(int Step, string What, string Reference, string Candidate)
{
    public override string ToString()
    {
        var a = Reference.Split('\n');
        var b = Candidate.Split('\n');
        var line = Enumerable.Range(0, Math.Max(a.Length, b.Length))
            .FirstOrDefault(i => (i < a.Length ? a[i] : "<end>") != (i < b.Length ? b[i] : "<end>"));
        return $"step {Step}: {What}\nfirst difference, line {line + 1}: `{(line < a.Length ? a[line] : "<end>")}` vs `{(line < b.Length ? b[line] : "<end>")}`\n" +
            $"--- etcd (reference, masked)\n{Reference}\n--- FakeEtcd (candidate, masked)\n{Candidate}";
    }
}

/// <summary>What one run did: the steps it executed (replayable) and the first divergence, if any.</summary>
public sealed record FuzzResult(IReadOnlyList<FuzzOp> Ops, FuzzDivergence? Divergence, TimeSpan Elapsed);

/// <summary>
/// Runs a sequence of <see cref="FuzzOp"/>s on a fresh real etcd and a fresh FakeEtcd (both at
/// revision 1), sending each step to both at once and comparing the masked answers; at the end it
/// fences every open watcher and compares the watch event streams.
/// </summary>
public sealed class FuzzRunner : IAsyncDisposable
{
    private readonly FuzzSide _reference;
    private readonly FuzzSide _candidate;
    private readonly FuzzState _state = new();

    private FuzzRunner(FuzzSide reference, FuzzSide candidate)
    {
        _reference = reference;
        _candidate = candidate;
    }

    /// <summary>Starts a pair (etcd with a short election timeout: fuzz leases are long, so its 1 s minimum TTL never matters).</summary>
    public static async Task<FuzzRunner> StartAsync(CancellationToken cancellationToken)
    {
        EtcdSkipRule.RequireOrSkip();
        var options = new DiffOptions(FastEtcdElection: true);
        var reference = DiffTargets.Reference(options, cancellationToken);
        var candidate = DiffTargets.Candidate(options, cancellationToken);
        try
        {
            await Task.WhenAll(reference, candidate);
        }
        catch
        {
            foreach (var started in new[] { reference, candidate }.Where(t => t.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            throw;
        }

        return new FuzzRunner(new FuzzSide(reference.Result, cancellationToken), new FuzzSide(candidate.Result, cancellationToken));
    }

    /// <summary>Generates and runs <paramref name="count"/> steps from <paramref name="seed"/> on a fresh pair.</summary>
    public static async Task<FuzzResult> GenerateAsync(int seed, int count, CancellationToken cancellationToken)
    {
        var generator = new FuzzGenerator(seed);
        await using var runner = await StartAsync(cancellationToken);
        return await runner.RunAsync(state => state.Steps < count ? generator.Next(state.State) : null);
    }

    /// <summary>Replays recorded steps on a fresh pair.</summary>
    public static async Task<FuzzResult> ReplayAsync(IReadOnlyList<FuzzOp> ops, CancellationToken cancellationToken)
    {
        await using var runner = await StartAsync(cancellationToken);
        return await runner.RunAsync(progress => progress.Steps < ops.Count ? ops[progress.Steps] : null);
    }

    /// <summary>Replays <paramref name="ops"/> and fails the test on any divergence (the entry point of printed repros).</summary>
    public static async Task AssertSameAsync(IReadOnlyList<FuzzOp> ops)
    {
        var result = await ReplayAsync(ops, TestContext.Current.CancellationToken);
        if (result.Divergence is { } divergence)
        {
            throw new Xunit.Sdk.XunitException(divergence.ToString());
        }
    }

    private async Task<FuzzResult> RunAsync(Func<(int Steps, FuzzState State), FuzzOp?> next)
    {
        var clock = TimeProvider.System;
        var started = clock.GetTimestamp();
        var ops = new List<FuzzOp>();
        FuzzDivergence? divergence = null;
        try
        {
            while (divergence is null && next((ops.Count, _state)) is { } op)
            {
                ops.Add(op);
                divergence = await StepAsync(ops.Count, op);
            }

            divergence ??= await CompareWatchesAsync(ops.Count + 1);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            divergence = new FuzzDivergence(ops.Count, "run failed: " + e.Message, "", e.ToString());
        }

        return new FuzzResult(ops, divergence, clock.GetElapsedTime(started));
    }

    private async Task<FuzzDivergence?> StepAsync(int step, FuzzOp op)
    {
        switch (op.Kind)
        {
            case FuzzOpKind.WatchCreate:
                return await CreateWatchAsync((WatchCreateRequest)op.Request);
            case FuzzOpKind.WatchCancel:
                await CancelWatchAsync((WatchCancelRequest)op.Request);
                return null;
            case FuzzOpKind.WatchBarrier:
                return await BarrierAsync(step);
        }

        var texts = await Task.WhenAll(_reference.ExecuteAsync(op), _candidate.ExecuteAsync(op));
        Observe(op, texts[0]);
        return texts[0] == texts[1] ? null : new FuzzDivergence(step, op.ToString(), texts[0], texts[1]);
    }

    /// <summary>Keeps the generator's picture of the reference current.</summary>
    private void Observe(FuzzOp op, string referenceText)
    {
        var ok = !referenceText.StartsWith("ERROR", StringComparison.Ordinal);
        _state.CurrentRevision = _reference.LastRevision;
        switch (op.Request)
        {
            case CompactionRequest compact when ok:
                _state.CompactRevision = compact.Revision;
                break;
            case LeaseGrantRequest { ID: 0 }:
                _state.AutoLeaseCount++;
                break;
            case LeaseGrantRequest grant when ok:
                _state.ExplicitLeaseIds.Add(grant.ID);
                break;
        }
    }

    private async Task<FuzzDivergence?> CreateWatchAsync(WatchCreateRequest create)
    {
        var request = new WatchRequest { CreateRequest = create };
        _state.WatchCreates++;
        var expected = _state.WatchCreates;
        foreach (var side in Sides)
        {
            await side.Watch.SendAsync(request);
        }

        foreach (var side in Sides)
        {
            await side.Watch.WaitUntilAsync(() => side.Watch.CreatedResponses >= expected, "created response", side.Endpoint.Name);
            // A start below the compaction is canceled by etcd's sync loop (up to 100 ms later): wait for it,
            // so nothing later (another compaction) can change the compact_revision it reports.
            if (create.StartRevision > 0 && create.StartRevision < _state.CompactRevision
                && side.Watch.OpenWatchers().LastOrDefault() is { } last && ReferenceEquals(last.Request, create))
            {
                await side.Watch.WaitUntilAsync(() => side.Watch.IsCanceled(last.Id), "compaction cancel", side.Endpoint.Name);
            }
        }

        _state.OpenWatchers = _reference.Watch.OpenWatchers().Count;
        return null;
    }

    private async Task CancelWatchAsync(WatchCancelRequest cancel)
    {
        foreach (var side in Sides)
        {
            // Wait for the answer, if one comes, so its header revision is the one at this step.
            var answered = side.Watch.AnswersCancel(cancel.WatchId);
            await side.Watch.SendAsync(new WatchRequest { CancelRequest = cancel });
            if (answered)
            {
                await side.Watch.WaitUntilAsync(() => side.Watch.IsClientCanceled(cancel.WatchId), $"cancel of watch {cancel.WatchId}", side.Endpoint.Name);
            }
        }

        _state.OpenWatchers = _reference.Watch.OpenWatchers().Count;
    }

    /// <summary>
    /// Puts and then deletes each open watcher's own key, then waits until every watcher has delivered
    /// the event it must see: after that nothing is pending in either server's send path.
    /// </summary>
    private async Task<FuzzDivergence?> BarrierAsync(int step)
    {
        var keys = _reference.Watch.OpenWatchers()
            .Where(w => !(HasFilter(w.Request, FilterType.Noput) && HasFilter(w.Request, FilterType.Nodelete)))
            .Select(w => FenceKey(w.Request))
            .Distinct()
            .ToList();
        if (keys.Count == 0)
        {
            return null;
        }

        var put = new TxnRequest();
        put.Success.AddRange(keys.Select(k => new RequestOp { RequestPut = new PutRequest { Key = k, Value = ByteString.CopyFromUtf8("fence") } }));
        var delete = new TxnRequest();
        delete.Success.AddRange(keys.Select(k => new RequestOp { RequestDeleteRange = new DeleteRangeRequest { Key = k } }));
        var targets = new Dictionary<FuzzSide, (long Put, long Delete)>();
        foreach (var (txn, isPut) in new[] { (put, true), (delete, false) })
        {
            var op = new FuzzOp(FuzzOpKind.Txn, txn);
            if (await StepAsync(step, op) is { } divergence)
            {
                return divergence with { What = "watch barrier: " + divergence.What };
            }

            foreach (var side in Sides)
            {
                targets[side] = isPut ? (side.LastRevision, 0) : (targets[side].Put, side.LastRevision);
            }
        }

        foreach (var side in Sides)
        {
            var (putRevision, deleteRevision) = targets[side];
            foreach (var (id, request) in side.Watch.OpenWatchers())
            {
                var noPut = HasFilter(request, FilterType.Noput);
                var noDelete = HasFilter(request, FilterType.Nodelete);
                var target = noDelete ? putRevision : deleteRevision;
                if ((noPut && noDelete) || request.StartRevision > target)
                {
                    continue;
                }

                await side.Watch.WaitUntilAsync(
                    () => side.Watch.IsCanceled(id) || side.Watch.LastEventRevision(id) >= target,
                    $"barrier event at revision {target} on watch {id}",
                    side.Endpoint.Name);
            }
        }

        return null;
    }

    private async Task<FuzzDivergence?> CompareWatchesAsync(int step)
    {
        if (_state.WatchCreates == 0)
        {
            return null;
        }

        if (await BarrierAsync(step) is { } divergence)
        {
            return divergence;
        }

        var reference = _reference.Watch.Describe(_reference.Mask);
        var candidate = _candidate.Watch.Describe(_candidate.Mask);
        return reference == candidate ? null : new FuzzDivergence(step, "watch events (per watch id, after a final barrier)", reference, candidate);
    }

    private static bool HasFilter(WatchCreateRequest request, FilterType filter) => request.Filters.Contains(filter);

    private static ByteString FenceKey(WatchCreateRequest request) => request.Key.IsEmpty ? ByteString.CopyFrom(0) : request.Key;

    private FuzzSide[] Sides => [_reference, _candidate];

    public async ValueTask DisposeAsync()
    {
        await _reference.DisposeAsync();
        await _candidate.DisposeAsync();
    }
}
