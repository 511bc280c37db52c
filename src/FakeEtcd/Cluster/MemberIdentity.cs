using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EtcdProtocol.Etcdserverpb;

namespace FakeEtcd.Cluster;

/// <summary>
/// Who this single-member cluster is: stable ids, name, URLs and raft term, stamped on every
/// response header. Ids are derived from the member name and peer URL (like etcd, which hashes the
/// member's peer URLs and cluster token), so the same configuration always gets the same ids.
/// </summary>
internal sealed class MemberIdentity
{
    public MemberIdentity(string name, IReadOnlyList<string> clientUrls, IReadOnlyList<string> peerUrls, ulong? memberId = null, ulong? clusterId = null)
    {
        Name = name;
        ClientUrls = clientUrls;
        PeerUrls = peerUrls;
        MemberId = memberId ?? Hash("member", name, string.Join(',', peerUrls));
        ClusterId = clusterId ?? Hash("cluster", MemberId.ToString("x", System.Globalization.CultureInfo.InvariantCulture), "etcd-cluster");
    }

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

    private static ulong Hash(params string[] parts)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', parts)));
        return BinaryPrimitives.ReadUInt64BigEndian(digest);
    }
}
