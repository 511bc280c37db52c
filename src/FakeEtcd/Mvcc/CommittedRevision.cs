using EtcdProtocol.Mvccpb;

namespace FakeEtcd.Mvcc;

/// <summary>
/// The changes one write transaction committed: every event shares <see cref="Revision"/> and is
/// listed in operation order. PUT events carry the previous value (if any) in <c>PrevKv</c>, DELETE
/// events carry the deleted value, so watchers can serve <c>prev_kv</c> without another lookup.
/// </summary>
internal sealed record CommittedRevision(long Revision, IReadOnlyList<Event> Events);
