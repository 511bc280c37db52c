using Etcdserverpb;
using Google.Protobuf;

namespace FakeEtcd.Benchmarks.Kv;

/// <summary>The data the KV benchmarks read: 100 keys under "prefix/" and the CAS key.</summary>
internal static class KvSeed
{
    public static async Task PrefixAndCasAsync(KV.KVClient kv, ByteString value)
    {
        for (var i = 0; i < 100; i++)
        {
            await kv.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8($"prefix/{i:000}"), Value = value });
        }

        await kv.PutAsync(new PutRequest { Key = ByteString.CopyFromUtf8("bench/cas"), Value = value });
    }
}
