using Grpc.Core;
using Grpc.Net.Client;
using Xunit;

namespace FakeEtcd.Testing;

/// <summary>
/// An xunit.v3 fixture that starts one in-process <see cref="FakeEtcdServer"/> before the first test
/// that uses it and stops it after the last one. By default the server runs on a
/// <see cref="VirtualClock"/>: time moves only through <see cref="AdvanceAsync"/>.
/// <para>As a class fixture (one server per test class):</para>
/// <code>
/// public sealed class LeaseTests(FakeEtcdFixture etcd) : IClassFixture&lt;FakeEtcdFixture&gt;
/// {
///     [Fact]
///     public async Task Key_goes_with_its_lease()
///     {
///         using var client = new EtcdClient(etcd.CreateCallInvoker());
///         ...
///         await etcd.AdvanceAsync(TimeSpan.FromSeconds(60));
///     }
/// }
/// </code>
/// <para>
/// Shared by several classes, declare a collection in the test assembly
/// (<c>[CollectionDefinition("etcd")] public sealed class EtcdCollection : ICollectionFixture&lt;FakeEtcdFixture&gt;;</c>
/// and <c>[Collection("etcd")]</c> on the classes), or one server per assembly with
/// <c>[assembly: AssemblyFixture(typeof(FakeEtcdFixture))]</c>.
/// Tests that share a fixture share its key space and its clock, which only moves forward: give each
/// test its own keys (<see cref="UniquePrefix"/>) and advance relative to <see cref="VirtualClock.Elapsed"/>.
/// Override <see cref="CreateOptions"/> for other server options (e.g. the system clock).
/// </para>
/// </summary>
public class FakeEtcdFixture : IAsyncLifetime
{
    private FakeEtcdServer? _server;
    private int _prefixes;

    /// <summary>The running server. Throws before xunit has initialized the fixture.</summary>
    public FakeEtcdServer Server => _server
        ?? throw new InvalidOperationException("the FakeEtcd fixture is not running: xunit starts it (InitializeAsync) before the first test that uses it");

    /// <summary>The server's virtual clock; hand it to the code under test as its <see cref="System.TimeProvider"/>.</summary>
    public VirtualClock Clock => Server.Clock;

    /// <summary>The server's clock, whatever its kind (<see cref="Clock"/> throws unless it is virtual).</summary>
    public TimeProvider TimeProvider => Server.TimeProvider;

    /// <summary>The URL clients connect to, e.g. <c>http://127.0.0.1:41234</c> (<c>new EtcdClient(ClientUrl.ToString())</c>).</summary>
    public Uri ClientUrl => Server.ClientUrl;

    /// <summary>
    /// A call invoker on an in-memory channel the server owns: calls on it are counted by the virtual clock's
    /// settle, so <see cref="AdvanceAsync"/> waits for what the client does in reaction to time.
    /// </summary>
    public CallInvoker CreateCallInvoker() => Server.CreateCallInvoker();

    /// <summary>A new in-memory channel to the server (no socket); the caller disposes it. Not counted by the settle.</summary>
    public GrpcChannel CreateInMemoryChannel() => Server.CreateInMemoryChannel();

    /// <summary>Moves virtual time forward by <paramref name="by"/>, firing due timers (lease expiry, keepalives) and settling.</summary>
    public Task AdvanceAsync(TimeSpan by, CancellationToken cancellationToken = default) => Clock.AdvanceAsync(by, cancellationToken);

    /// <summary>Waits until the server and the fixture's clients are quiet, without moving time.</summary>
    public Task SettleAsync(CancellationToken cancellationToken = default) => Clock.SettleAsync(cancellationToken);

    /// <summary>
    /// A key prefix no other call on this fixture returns, e.g. <c>t3/orders/</c>, so tests that share
    /// the server do not see each other's keys.
    /// </summary>
    public string UniquePrefix(string name) => $"t{Interlocked.Increment(ref _prefixes)}/{name}/";

    /// <summary>Starts the server; xunit calls this before the first test that uses the fixture.</summary>
    public virtual async ValueTask InitializeAsync()
    {
        if (_server is not null)
        {
            throw new InvalidOperationException("the FakeEtcd fixture is already started");
        }

        _server = await FakeEtcdServer.StartAsync(CreateOptions()).ConfigureAwait(false);
    }

    /// <summary>Stops the server and frees its port; xunit calls this after the last test that uses the fixture.</summary>
    public virtual async ValueTask DisposeAsync()
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is not null)
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>The options the server starts with; the defaults are FakeEtcd's (virtual clock, free loopback port).</summary>
    protected virtual FakeEtcdServerOptions CreateOptions() => new();
}
