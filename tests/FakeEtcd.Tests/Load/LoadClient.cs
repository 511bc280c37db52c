using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;

namespace FakeEtcd.Tests.Load;

/// <summary>
/// One client of the load: a fixed, seedless sequence of puts, txns, lease churn (grant, put on the
/// lease, revoke) and deletes under its own prefix. Returns how many RPCs it made.
/// </summary>
internal static class LoadClient
{
    public static async Task<int> RunAsync(EtcdClient etcd, int client, int operations, CancellationToken cancellationToken)
    {
        var prefix = LoadProfile.ClientPrefix(client);
        var calls = 0;
        for (var i = 0; i < operations; i++)
        {
            var key = Bytes($"{prefix}{i % 8}");
            switch (i % 4)
            {
                case 0:
                    await etcd.PutAsync(new PutRequest { Key = key, Value = Bytes($"{client}-{i}") }, cancellationToken: cancellationToken);
                    calls++;
                    break;
                case 1:
                    // Either branch writes, so every txn makes a revision; the range rides along.
                    await etcd.TransactionAsync(
                        new TxnRequest
                        {
                            Compare = { new Compare { Key = key, Target = Compare.Types.CompareTarget.Version, Result = Compare.Types.CompareResult.Greater, Version = 0 } },
                            Success =
                            {
                                new RequestOp { RequestPut = new PutRequest { Key = Bytes($"{prefix}txn"), Value = Bytes($"hit-{i}") } },
                                new RequestOp { RequestRange = new RangeRequest { Key = key } },
                            },
                            Failure = { new RequestOp { RequestPut = new PutRequest { Key = key, Value = Bytes($"miss-{i}") } } },
                        },
                        cancellationToken: cancellationToken);
                    calls++;
                    break;
                case 2:
                    var lease = await etcd.LeaseGrantAsync(new LeaseGrantRequest { TTL = 60 }, cancellationToken: cancellationToken);
                    await etcd.PutAsync(new PutRequest { Key = Bytes($"{prefix}lease"), Value = Bytes($"l-{i}"), Lease = lease.ID }, cancellationToken: cancellationToken);
                    await etcd.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease.ID }, cancellationToken: cancellationToken);
                    calls += 3;
                    break;
                default:
                    await etcd.DeleteAsync(new DeleteRangeRequest { Key = Bytes($"{prefix}{(i + 3) % 8}") }, cancellationToken: cancellationToken);
                    calls++;
                    break;
            }
        }

        return calls;
    }

    private static ByteString Bytes(string text) => ByteString.CopyFromUtf8(text);
}
