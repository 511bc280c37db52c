using System.Runtime.CompilerServices;
using Google.Protobuf;

namespace FakeEtcd.Tests.Differential;

/// <summary>
/// A fresh real etcd (the reference) and a fresh candidate server, both at revision 1. Each step
/// sends the same request to both and compares the masked outcomes.
/// </summary>
public sealed class DiffPair : IAsyncDisposable
{
    // Bounds every call, so a server that never answers fails the test instead of hanging CI.
    private static readonly TimeSpan CallBudget = TimeSpan.FromSeconds(30);

    private readonly CancellationTokenSource _calls;
    private readonly ResponseMask _referenceMask;
    private readonly ResponseMask _candidateMask;
    private int _step;

    private DiffPair(EtcdClients reference, EtcdClients candidate, CancellationTokenSource calls, bool maskLeaseIds)
    {
        Reference = reference;
        Candidate = candidate;
        _calls = calls;
        _referenceMask = new ResponseMask(maskLeaseIds);
        _candidateMask = new ResponseMask(maskLeaseIds);
    }

    /// <summary>Clients of the real etcd.</summary>
    public EtcdClients Reference { get; }

    /// <summary>Clients of the server under test.</summary>
    public EtcdClients Candidate { get; }

    /// <summary>Starts both servers concurrently.</summary>
    public static async Task<DiffPair> StartAsync(DiffOptions options, CancellationToken cancellationToken = default)
    {
        EtcdSkipRule.RequireOrSkip();
        var referenceTask = DiffTargets.Reference(options, cancellationToken);
        var candidateTask = DiffTargets.Candidate(options, cancellationToken);
        try
        {
            await Task.WhenAll(referenceTask, candidateTask);
        }
        catch
        {
            // Stop whichever side did start before reporting the failure.
            foreach (var task in new[] { referenceTask, candidateTask }.Where(t => t.IsCompletedSuccessfully))
            {
                await task.Result.DisposeAsync();
            }

            throw;
        }

        var calls = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        calls.CancelAfter(CallBudget);
        return new DiffPair(
            new EtcdClients(referenceTask.Result, calls.Token),
            new EtcdClients(candidateTask.Result, calls.Token),
            calls,
            options.MaskLeaseIds);
    }

    /// <summary>
    /// Runs <paramref name="call"/> on both servers (reference first) and asserts that the
    /// masked outcomes are equal: same message, or same status code and byte-identical detail.
    /// </summary>
    public async Task<Outcomes<T>> Both<T>(
        Func<EtcdClients, Task<T>> call,
        [CallerArgumentExpression(nameof(call))] string? label = null)
        where T : class, IMessage<T>
    {
        var outcomes = await Each(call);
        var step = ++_step;
        // The step history in the test output shows how the store got to a failing step.
        TestContext.Current.TestOutputHelper?.WriteLine($"step {step}: {label}\n{outcomes.Reference}");
        if (!outcomes.Reference.SameAs(outcomes.Candidate))
        {
            throw new Xunit.Sdk.XunitException(
                $"Step {step} differs: {label}\n" +
                $"First difference: {FirstDifference(outcomes.Reference.ToString(), outcomes.Candidate.ToString())}\n" +
                $"--- {Reference.Endpoint.Name} (reference, masked)\n{outcomes.Reference}\n" +
                $"--- {Candidate.Endpoint.Name} (candidate, masked)\n{outcomes.Candidate}");
        }

        return outcomes;
    }

    /// <summary>
    /// Runs a streaming exchange on both servers and asserts that the masked message sequences (whole
    /// messages) and the final status text are equal.
    /// </summary>
    public async Task<(IReadOnlyList<T> Reference, IReadOnlyList<T> Candidate)> BothSequence<T>(
        Func<EtcdClients, Task<(IReadOnlyList<T> Messages, string Status)>> exchange,
        [CallerArgumentExpression(nameof(exchange))] string? label = null)
        where T : class, IMessage<T>
    {
        var reference = await exchange(Reference);
        var candidate = await exchange(Candidate);
        var referenceMasked = reference.Messages.Select(m => _referenceMask.Apply(m.Clone())).ToList();
        var candidateMasked = candidate.Messages.Select(m => _candidateMask.Apply(m.Clone())).ToList();
        static string Text(IEnumerable<T> messages, string status) =>
            string.Join("\n", messages.Select(m => ProtoText.Format(m))) + "\nstatus: " + status;
        var left = Text(referenceMasked, reference.Status);
        var right = Text(candidateMasked, candidate.Status);
        var step = ++_step;
        TestContext.Current.TestOutputHelper?.WriteLine($"step {step}: {label}\n{left}");
        if (!referenceMasked.SequenceEqual(candidateMasked) || !string.Equals(reference.Status, candidate.Status, StringComparison.Ordinal))
        {
            throw new Xunit.Sdk.XunitException(
                $"Step {step} differs: {label}\nFirst difference: {FirstDifference(left, right)}\n" +
                $"--- {Reference.Endpoint.Name} (reference, masked)\n{left}\n--- {Candidate.Endpoint.Name} (candidate, masked)\n{right}");
        }

        return (reference.Messages, candidate.Messages);
    }

    /// <summary>
    /// A step where etcd 3.4 and 3.5 answer differently (docs/compatibility.md). Under the 3.4 profile
    /// (<see cref="DiffTargets.Is34"/>) it is <see cref="Both{T}"/>: exactly equal to the 3.4.23
    /// reference. Under 3.5 it runs on both and <paramref name="expect35"/> checks the candidate's
    /// outcome against 3.5's answer.
    /// </summary>
    public async Task<Outcomes<T>> Both35<T>(
        Func<EtcdClients, Task<T>> call,
        Action<Outcome<T>> expect35,
        [CallerArgumentExpression(nameof(call))] string? label = null)
        where T : class, IMessage<T>
    {
        if (DiffTargets.Is34)
        {
            return await Both(call, label);
        }

        var outcomes = await Each(call);
        expect35(outcomes.RawCandidate);
        return outcomes;
    }

    /// <summary>Runs <paramref name="call"/> on both servers without comparing (for fields that differ by design).</summary>
    public async Task<Outcomes<T>> Each<T>(Func<EtcdClients, Task<T>> call)
        where T : class, IMessage<T>
    {
        var reference = await Outcome<T>.CaptureAsync(() => call(Reference));
        var candidate = await Outcome<T>.CaptureAsync(() => call(Candidate));
        return new Outcomes<T>(
            reference.Map(_referenceMask.Apply),
            candidate.Map(_candidateMask.Apply),
            reference,
            candidate);
    }

    private static string FirstDifference(string reference, string candidate)
    {
        var a = reference.Split('\n');
        var b = candidate.Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end>";
            var right = i < b.Length ? b[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}: `{left.Trim()}` vs `{right.Trim()}`";
            }
        }

        return "none in the text (check field presence)";
    }

    public async ValueTask DisposeAsync()
    {
        Reference.Dispose();
        Candidate.Dispose();
        _calls.Dispose();
        await Reference.Endpoint.DisposeAsync();
        await Candidate.Endpoint.DisposeAsync();
    }
}

/// <summary>Both servers' outcomes of one step: masked for comparison, and raw.</summary>
public sealed record Outcomes<T>(Outcome<T> Reference, Outcome<T> Candidate, Outcome<T> RawReference, Outcome<T> RawCandidate)
    where T : class, IMessage<T>;
