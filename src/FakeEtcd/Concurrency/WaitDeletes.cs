using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply;
using Google.Protobuf;

namespace FakeEtcd.Concurrency;

/// <summary>concurrency.waitDeletes: waits until no key under the prefix was created at or before a revision.</summary>
internal static class WaitDeletes
{
    public static async Task<ResponseHeader> RunAsync(
        Applier applier, KeyWaits waits, ByteString prefix, long maxCreateRevision, CancellationToken cancellationToken)
    {
        while (true)
        {
            var last = applier.Range(ConcurrencyKeys.LastCreatedUpTo(prefix, maxCreateRevision));
            if (last.Kvs.Count == 0)
            {
                return last.Header;
            }

            await waits.WaitForDeleteAsync(last.Kvs[0].Key, last.Header.Revision, cancellationToken).ConfigureAwait(false);
        }
    }
}
