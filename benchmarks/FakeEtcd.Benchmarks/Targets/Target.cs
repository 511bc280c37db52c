namespace FakeEtcd.Benchmarks.Targets;

/// <summary>What a benchmark talks to.</summary>
public enum Target
{
    /// <summary>FakeEtcd in-process (Kestrel on loopback), on its virtual clock.</summary>
    FakeEtcd,

    /// <summary>Real etcd (Debian's etcd-server) started on loopback with a temp data dir.</summary>
    Etcd,

    /// <summary>A gRPC server for the same etcd services that does no work: the cost of gRPC itself.</summary>
    Floor,
}
