using EtcdProtocol.Mvccpb;

namespace FakeEtcd.Mvcc;

/// <summary>
/// Keys found by a range read. <see cref="Count"/> is the number of live keys in the range at the
/// read revision, before any limit; <see cref="Revision"/> is the store revision the read saw.
/// </summary>
internal sealed record RangeResult(List<KeyValue> Kvs, long Count, long Revision);
