namespace FakeEtcd.TestSupport;

/// <summary>A running etcd-compatible server that a differential test talks to over gRPC.</summary>
public interface IEtcdEndpoint : IAsyncDisposable
{
    /// <summary>Short name used in assertion messages ("etcd", "FakeEtcd").</summary>
    string Name { get; }

    /// <summary>The plaintext gRPC address, e.g. http://127.0.0.1:41234.</summary>
    Uri ClientUrl { get; }

    /// <summary>Recent server diagnostics (stderr), or empty when there are none.</summary>
    string Diagnostics { get; }
}
