using EtcdProtocol.Etcdserverpb;
using Google.Protobuf;

namespace FakeEtcd.Watch;

/// <summary>
/// etcd's sendFragments: a response of at least <c>limit</c> bytes with more than one event is split
/// into responses with <c>fragment = true</c>, the last one <c>false</c>; a single event is never split.
/// </summary>
internal static class WatchFragmenter
{
    private const int EventsFieldTagBytes = 1;

    public static IEnumerable<WatchResponse> Split(WatchResponse response, int limit)
    {
        if (response.Events.Count < 2 || response.CalculateSize() < limit)
        {
            yield return response;
            yield break;
        }

        var index = 0;
        while (true)
        {
            var fragment = new WatchResponse
            {
                Header = response.Header,
                WatchId = response.WatchId,
                Created = response.Created,
                Canceled = response.Canceled,
                CompactRevision = response.CompactRevision,
                CancelReason = response.CancelReason,
                Fragment = true,
            };
            // Sizes are summed per event instead of re-measuring the whole message each time.
            var size = fragment.CalculateSize();
            for (; index < response.Events.Count; index++)
            {
                var eventSize = response.Events[index].CalculateSize();
                var grown = size + EventsFieldTagBytes + CodedOutputStream.ComputeLengthSize(eventSize) + eventSize;
                if (fragment.Events.Count >= 1 && grown >= limit)
                {
                    break;
                }

                fragment.Events.Add(response.Events[index]);
                size = grown;
            }

            fragment.Fragment = index < response.Events.Count;
            yield return fragment;
            if (!fragment.Fragment)
            {
                yield break;
            }
        }
    }
}
