using System.Collections.Concurrent;
using FakeEtcd.Clock;

namespace FakeEtcd.Grpc.Follow;

/// <summary>
/// The clock's followers in other processes (fakeetcd.v1.Clock/Follow): a settle ticks those that
/// may have something to react to at the clock's now and waits for each to report its work done.
/// </summary>
internal sealed class FollowerHub(VirtualClock clock, TimeSpan timeout) : ISettleParticipant
{
    /// <summary>The metadata header a follower puts on its etcd calls: "&lt;follower id&gt;/&lt;call number&gt;".</summary>
    public const string CallHeader = "fakeetcd-follower-call";

    private readonly ConcurrentDictionary<string, RemoteFollower> _followers = new(StringComparer.Ordinal);
    private long _nextId;

    public VirtualClock Clock => clock;

    /// <summary>How long a follower may take to report a tick done (wall time).</summary>
    public TimeSpan Timeout => timeout;

    public bool IsEmpty => _followers.IsEmpty;

    public RemoteFollower Join(string name)
    {
        var id = "f" + Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var follower = new RemoteFollower(this, id, name.Length == 0 ? id : name);
        _followers[id] = follower;
        return follower;
    }

    public void Leave(RemoteFollower follower) => _followers.TryRemove(follower.Id, out _);

    /// <summary>The follower a call's <see cref="CallHeader"/> names, and the call's number; null when it names none.</summary>
    public (RemoteFollower Follower, ulong Call)? FindCall(string? header)
    {
        var slash = header?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (header is null || slash < 0)
        {
            return null;
        }

        return _followers.TryGetValue(header[..slash], out var follower)
            && ulong.TryParse(header.AsSpan(slash + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var call)
            ? (follower, call)
            : null;
    }

    public bool NeedsTick(DateTimeOffset now) => _followers.Values.Any(f => f.NeedsTick(now));

    public Task TickAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        Task.WhenAll(_followers.Values.Where(f => f.NeedsTick(now)).Select(f => f.TickAsync(now, cancellationToken)));
}
