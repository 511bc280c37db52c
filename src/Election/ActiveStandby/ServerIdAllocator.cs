using System.Globalization;
using Election.Etcd;
using EtcdProtocol.Etcdserverpb;

namespace Election;

/// <summary>
/// Milvus's ServerID counter: <c>&lt;root&gt;/session/id</c> holds the next free id as a decimal
/// string; a process takes the current value by a compare-and-swap on it (ids start at 1, only grow,
/// and are never reused, so a restarted process always gets a larger id).
/// </summary>
internal static class ServerIdAllocator
{
    public static async Task<long> AllocateAsync(EtcdApi etcd, string idKey, CancellationToken cancellationToken)
    {
        // Create the counter if absent; the outcome does not matter.
        await etcd.Kv.TxnAsync(
            new TxnRequest
            {
                Compare = { new Compare { Key = Keys.Bytes(idKey), Target = Compare.Types.CompareTarget.Version, Version = 0 } },
                Success = { Keys.Put(idKey, Keys.Bytes("1")) },
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var current = await etcd.Kv.RangeAsync(new RangeRequest { Key = Keys.Bytes(idKey) }, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            if (Keys.Single(current) is not { } kv
                || !long.TryParse(kv.Value.ToStringUtf8(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            var swap = await etcd.Kv.TxnAsync(
                new TxnRequest
                {
                    Compare = { new Compare { Key = Keys.Bytes(idKey), Target = Compare.Types.CompareTarget.Value, Value = kv.Value } },
                    Success = { Keys.Put(idKey, Keys.Bytes((id + 1).ToString(CultureInfo.InvariantCulture))) },
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            if (swap.Succeeded)
            {
                return id;
            }
        }
    }
}
