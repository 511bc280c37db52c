namespace FakeEtcd.Apply.Backend;

/// <summary>One bucket of etcd's backend: its name and its key/value pairs in bbolt's (byte-wise) key order.</summary>
internal sealed record BackendBucket(string Name, IReadOnlyList<KeyValuePair<byte[], byte[]>> Entries);
