namespace FakeEtcd.Leases;

/// <summary>
/// etcd's request-id generator (pkg/idutil), which also picks lease ids: the member id's low 16 bits,
/// then the start time in milliseconds (40 bits), then a counter (8 bits) that carries into the time
/// bits. Ids are masked to positive int64 values, so etcdctl prints them as 16 hex digits.
/// </summary>
internal sealed class LeaseIdGenerator(ulong memberId, DateTimeOffset start)
{
    private const int SuffixBits = 48;
    private const int CounterBits = 8;
    private readonly ulong _prefix = (memberId & 0xffff) << SuffixBits;
    private ulong _suffix = ((ulong)start.ToUnixTimeMilliseconds() & ((1UL << 40) - 1)) << CounterBits;

    public long Next()
    {
        _suffix++;
        return (long)((_prefix | (_suffix & ((1UL << SuffixBits) - 1))) & long.MaxValue);
    }
}
