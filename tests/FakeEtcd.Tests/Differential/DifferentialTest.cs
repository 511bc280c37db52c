namespace FakeEtcd.Tests.Differential;

/// <summary>
/// Base for differential tests: each test gets its own fresh pair (~0.1–1 s for etcd), so
/// revisions start at 1 on both sides and a divergence in one test cannot leak into the next.
/// </summary>
public abstract class DifferentialTest : IAsyncLifetime
{
    private DiffPair? _pair;

    protected DiffPair Pair => _pair ?? throw new InvalidOperationException("Pair not started.");

    /// <summary>Faithful etcd settings by default; see <see cref="KvDifferentialTest"/>.</summary>
    protected virtual DiffOptions Options => new();

    public async ValueTask InitializeAsync()
        => _pair = await DiffPair.StartAsync(Options, TestContext.Current.CancellationToken);

    public virtual async ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        if (_pair is not null)
        {
            await _pair.DisposeAsync();
        }
    }
}
