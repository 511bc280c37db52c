using dotnet_etcd;
using Etcdserverpb;
using Grpc.Core;

namespace Election.Tests.Support;

/// <summary>
/// What the world looked like when a standby's activation callback ran: the previous active's
/// session state, and its lease's remaining TTL in etcd (-1: the lease is gone, so its ACTIVE key
/// and its claim to be active are gone too).
/// </summary>
public sealed record TakeoverProbe(SessionState OtherState, long OtherLeaseTtl)
{
    /// <summary>Makes <paramref name="successor"/>'s activation record the state of <paramref name="previous"/>.</summary>
    public static Task<TakeoverProbe> Attach(Candidate successor, Candidate previous, EtcdClient etcd)
    {
        var seen = new TaskCompletionSource<TakeoverProbe>(TaskCreationOptions.RunContinuationsAsynchronously);
        successor.OnActivate = async token =>
        {
            var state = previous.Session.State;
            seen.TrySetResult(new TakeoverProbe(state, await LeaseTtlAsync(etcd, previous.Session.LeaseId, token)));
        };
        return seen.Task;
    }

    /// <summary>The lease's remaining TTL, retrying calls that hit a member that just died.</summary>
    public static async Task<long> LeaseTtlAsync(EtcdClient etcd, long leaseId, CancellationToken token)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return (await etcd.LeaseTimeToLiveAsync(new LeaseTimeToLiveRequest { ID = leaseId }, cancellationToken: token)).TTL;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && attempt < 20)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), TimeProvider.System, token);
            }
        }
    }
}
