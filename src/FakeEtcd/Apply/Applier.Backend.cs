using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Apply.Backend;
using FakeEtcd.Cluster;

namespace FakeEtcd.Apply;

/// <summary>The state as etcd's backend would hold it, taken at one instant of the apply path.</summary>
internal sealed partial class Applier
{
    /// <summary>etcd's Maintenance Hash: the backend's checksum and the revision it was taken at.</summary>
    public HashResponse Hash(MemberIdentity member, string releaseVersion)
    {
        lock (_gate)
        {
            return new HashResponse
            {
                Hash = CaptureBackendLocked(member, releaseVersion).Hash(),
                Header = new ResponseHeader { Revision = _store.CurrentRevision },
            };
        }
    }

    private BackendImage CaptureBackendLocked(MemberIdentity member, string releaseVersion) =>
        BackendLayout.Capture(_store, _leases.ByExpiry, _alarms.Get(AlarmType.None), member, releaseVersion, RaftIndex);
}
