namespace FakeEtcd;

/// <summary>
/// Which etcd release a <see cref="FakeEtcdServer"/> follows where etcd 3.4 and 3.5 answer the same
/// request differently (docs/compatibility.md lists every such difference).
/// </summary>
public enum EtcdCompatibility
{
    /// <summary>etcd 3.5 (the default): Status reports 3.5.26.</summary>
    Etcd35 = 0,

    /// <summary>etcd 3.4.23: Status reports 3.4.23, and each listed 3.5 change is left out.</summary>
    Etcd34 = 1,
}
