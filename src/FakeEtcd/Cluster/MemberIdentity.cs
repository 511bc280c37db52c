using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EtcdProtocol.Etcdserverpb;

namespace FakeEtcd.Cluster;

/// <summary>
/// Who this single-member cluster is: stable ids, name, URLs and raft term, stamped on every
/// response header. Ids are derived as etcd derives a bootstrapped member's (membership.NewMember,
/// RaftCluster.genID), so the same flags give the same member and cluster id as on etcd:
/// 8e9e05c52164694d and cdf818194e3a8c32 with the defaults.
/// </summary>
internal sealed class MemberIdentity
{
    public MemberIdentity(
        string name,
        IReadOnlyList<string> clientUrls,
        IReadOnlyList<string> peerUrls,
        ulong? memberId = null,
        ulong? clusterId = null,
        string clusterToken = DefaultClusterToken)
    {
        Name = name;
        ClientUrls = clientUrls;
        PeerUrls = [.. peerUrls.Order(StringComparer.Ordinal)]; // etcd sorts them (types.NewURLs).
        MemberId = memberId ?? EtcdMemberId(PeerUrls, clusterToken);
        ClusterId = clusterId ?? EtcdClusterId(MemberId);
    }

    /// <summary>etcd's <c>--initial-cluster-token</c> default.</summary>
    public const string DefaultClusterToken = "etcd-cluster";

    public string Name { get; }

    /// <summary>Reachable client URLs; set once the listener has bound (port 0 is resolved only then).</summary>
    public IReadOnlyList<string> ClientUrls { get; internal set; }

    public IReadOnlyList<string> PeerUrls { get; }

    public ulong MemberId { get; }

    public ulong ClusterId { get; }

    private long _raftTerm = 2;

    /// <summary>A freshly bootstrapped single member reports term 2 (its first election won); a simulated leader change adds one.</summary>
    public ulong RaftTerm => (ulong)Interlocked.Read(ref _raftTerm);

    /// <summary>A leader change: the next term.</summary>
    public void NewTerm() => Interlocked.Increment(ref _raftTerm);

    /// <summary>Fills cluster id, member id and raft term, keeping the revision the handler set.</summary>
    public ResponseHeader Stamp(ResponseHeader header)
    {
        header.ClusterId = ClusterId;
        header.MemberId = MemberId;
        header.RaftTerm = RaftTerm;
        return header;
    }

    public Member ToMember()
    {
        var member = new Member { ID = MemberId, Name = Name };
        member.PeerURLs.AddRange(PeerUrls);
        member.ClientURLs.AddRange(ClientUrls);
        return member;
    }

    /// <summary>The first 8 bytes (big-endian) of SHA-1 over the peer URLs (sorted already) then the cluster token.</summary>
    private static ulong EtcdMemberId(IReadOnlyList<string> sortedPeerUrls, string clusterToken)
    {
        var text = string.Concat(sortedPeerUrls) + clusterToken;
        return BinaryPrimitives.ReadUInt64BigEndian(SHA1.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The first 8 bytes of SHA-1 over the (sorted) member ids, each 8 bytes big-endian.</summary>
    private static ulong EtcdClusterId(ulong memberId)
    {
        Span<byte> ids = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(ids, memberId);
        return BinaryPrimitives.ReadUInt64BigEndian(SHA1.HashData(ids));
    }
}
