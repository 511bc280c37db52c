namespace FakeEtcd.Benchmarks.Targets;

/// <summary>What a benchmark talks to.</summary>
public enum Target
{
    /// <summary>
    /// FakeEtcd in-process on its virtual clock, its clients on in-memory channels
    /// (<see cref="FakeEtcdServer.CreateInMemoryChannel"/>): how a test fixture in the same process uses it.
    /// </summary>
    FakeEtcd,

    /// <summary>FakeEtcd in-process, its clients over loopback TCP to its client URL, as any etcd client connects.</summary>
    FakeEtcdTcp,

    /// <summary>
    /// FakeEtcd standalone in its own process (the Release build next to the benchmarks), as etcd runs:
    /// the server does not share the benchmark's thread pool with the clients. Latency harness only.
    /// </summary>
    FakeEtcdProcess,

    /// <summary>Real etcd (Debian's etcd-server) started on loopback with its data dir on tmpfs (fsyncs cost nothing: a best case for etcd).</summary>
    Etcd,

    /// <summary>Real etcd with its data dir in the system temp dir (on disk): its default deployment, every write fsynced.</summary>
    EtcdDisk,

    /// <summary>A gRPC server for the same etcd services that does no work, over loopback TCP: the cost of gRPC itself.</summary>
    Floor,

    /// <summary>The same do-nothing server on an in-memory connection: the floor for <see cref="FakeEtcd"/>.</summary>
    FloorInMemory,
}
