namespace FakeEtcd.Watch;

/// <summary>
/// Decides when streams get the events of a committed revision. Without a gate every stream gets
/// them at once; the simulation holds each stream and releases them one at a time, in an order its
/// seed decides (and later under watch-delay faults).
/// </summary>
internal interface IWatchDeliveryGate
{
    /// <summary>Called under the apply lock with the streams that got events of one revision; may reorder the list.</summary>
    void Hold(IList<WatchSession> sessions);
}
