using FakeEtcd.Apply;
using FakeEtcd.Leases;
using static FakeEtcd.Tests.Support.Requests;

namespace FakeEtcd.Tests.Core;

/// <summary>etcd 3.4's periodic and revision compactors on the virtual clock (etcdserver/api/v3compactor).</summary>
public sealed class AutoCompactionTests : IDisposable
{
    private readonly VirtualClock _clock = new();
    private readonly Applier _etcd;
    private AutoCompactor? _compactor;

    public AutoCompactionTests() => _etcd = new Applier(new EtcdLimits(), _clock, new LeaseOptions(), memberId: 0x8e9e05c52164694d);

    public void Dispose()
    {
        _compactor?.Dispose();
        _etcd.Dispose();
    }

    private long CompactRevision => _etcd.HashKV(0).CompactRevision;

    private Task AdvanceTo(TimeSpan instant) => _clock.AdvanceAsync(instant - _clock.Elapsed, TestContext.Current.CancellationToken);

    [Fact]
    public async Task PeriodicCompactsToTheStartRevisionAfterOneRetentionThenToTheRevisionSampledOneRetentionBeforeEachNext()
    {
        _compactor = new AutoCompactor(_etcd, _clock, AutoCompaction.Periodic(TimeSpan.FromMinutes(10))); // samples every minute
        await AdvanceTo(TimeSpan.FromSeconds(510));
        _etcd.Put(Put("k", "at 8m30s")); // 2
        await AdvanceTo(TimeSpan.FromSeconds(570));
        _etcd.Put(Put("k", "at 9m30s")); // 3

        await AdvanceTo(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        Assert.Equal(-1, CompactRevision); // never compacted
        await AdvanceTo(TimeSpan.FromMinutes(10));
        Assert.Equal(1, CompactRevision); // sampled at the start

        await AdvanceTo(TimeSpan.FromMinutes(20) - TimeSpan.FromTicks(1));
        Assert.Equal(1, CompactRevision);
        await AdvanceTo(TimeSpan.FromMinutes(20));
        Assert.Equal(2, CompactRevision); // sampled at 9m: the oldest of the 11 kept samples
    }

    [Fact]
    public async Task PeriodicLongerThanAnHourCompactsHourlyAfterTheFirstRetention()
    {
        _compactor = new AutoCompactor(_etcd, _clock, AutoCompaction.Periodic(TimeSpan.FromHours(2))); // samples every 6 minutes
        await AdvanceTo(TimeSpan.FromMinutes(1));
        _etcd.Put(Put("k", "v")); // 2
        await AdvanceTo(TimeSpan.FromMinutes(119));
        Assert.Equal(-1, CompactRevision); // never compacted
        await AdvanceTo(TimeSpan.FromMinutes(120));
        Assert.Equal(1, CompactRevision);
        await AdvanceTo(TimeSpan.FromMinutes(179));
        _etcd.Put(Put("k", "v")); // 3
        Assert.Equal(1, CompactRevision);
        await AdvanceTo(TimeSpan.FromMinutes(180));
        Assert.Equal(2, CompactRevision); // an hour after the first, to the revision sampled 2 h 6 min before
    }

    [Fact]
    public async Task RevisionModeCompactsEveryFiveMinutesToTheCurrentRevisionLessTheRetention()
    {
        _compactor = new AutoCompactor(_etcd, _clock, AutoCompaction.Revision(2));
        for (var i = 0; i < 4; i++)
        {
            _etcd.Put(Put("k", "v")); // 2..5
        }

        await AdvanceTo(TimeSpan.FromMinutes(5) - TimeSpan.FromTicks(1));
        Assert.Equal(-1, CompactRevision); // never compacted
        await AdvanceTo(TimeSpan.FromMinutes(5));
        Assert.Equal(3, CompactRevision);
        _etcd.Put(Put("k", "v")); // 6
        await AdvanceTo(TimeSpan.FromMinutes(10));
        Assert.Equal(4, CompactRevision);
    }

    [Fact]
    public async Task RevisionModeWaitsUntilTheRevisionExceedsTheRetention()
    {
        _compactor = new AutoCompactor(_etcd, _clock, AutoCompaction.Revision(1000));
        _etcd.Put(Put("k", "v"));
        await AdvanceTo(TimeSpan.FromMinutes(60));
        Assert.Equal(-1, CompactRevision); // never compacted
    }

    [Fact]
    public void RetentionMustBePositive()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoCompaction.Periodic(TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => AutoCompaction.Revision(0));
    }
}
