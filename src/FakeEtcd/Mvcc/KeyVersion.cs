using EtcdProtocol.Mvccpb;

namespace FakeEtcd.Mvcc;

/// <summary>One stored version of a key: etcd's (main, sub) revision and the value, null for a tombstone.</summary>
internal readonly record struct KeyVersion(long Revision, int Sub, KeyValue? Value);
