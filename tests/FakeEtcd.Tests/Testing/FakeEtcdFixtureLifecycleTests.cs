using dotnet_etcd;
using Etcdserverpb;
using FakeEtcd.Testing;

namespace FakeEtcd.Tests.Testing;

/// <summary>What xunit does with the fixture (InitializeAsync, DisposeAsync), driven by hand.</summary>
public sealed class FakeEtcdFixtureLifecycleTests
{
    private const string NotRunning =
        "the FakeEtcd fixture is not running: xunit starts it (InitializeAsync) before the first test that uses it";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ServerIsThereOnlyBetweenInitializeAndDispose()
    {
        var fixture = new FakeEtcdFixture();
        Assert.Equal(NotRunning, Assert.Throws<InvalidOperationException>(() => fixture.Server).Message);

        await fixture.InitializeAsync();
        Assert.Equal(fixture.Server.ClientUrl, fixture.ClientUrl);
        Assert.Equal(TimeSpan.Zero, fixture.Clock.Elapsed);
        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => fixture.InitializeAsync().AsTask());
        Assert.Equal("the FakeEtcd fixture is already started", again.Message);

        await fixture.DisposeAsync();
        await fixture.DisposeAsync();
        Assert.Equal(NotRunning, Assert.Throws<InvalidOperationException>(() => fixture.Server).Message);
    }

    [Fact]
    public async Task SubclassesChooseTheServerOptions()
    {
        await using var fixture = new NamedSystemClockFixture();
        await fixture.InitializeAsync();
        using var client = new EtcdClient(fixture.CreateCallInvoker());

        var members = await client.MemberListAsync(new MemberListRequest(), cancellationToken: Ct);

        Assert.Equal("node-a", members.Members.Single().Name);
        Assert.Same(TimeProvider.System, fixture.TimeProvider);
        Assert.Equal(
            "this server runs on SystemTimeProvider, not a VirtualClock",
            Assert.Throws<InvalidOperationException>(() => fixture.Clock).Message);
    }

    [Fact]
    public void UniquePrefixesNeverRepeat()
    {
        var fixture = new FakeEtcdFixture();

        Assert.Equal(["t1/orders/", "t2/orders/", "t3/users/"], new[] { fixture.UniquePrefix("orders"), fixture.UniquePrefix("orders"), fixture.UniquePrefix("users") });
    }

    private sealed class NamedSystemClockFixture : FakeEtcdFixture
    {
        protected override FakeEtcdServerOptions CreateOptions() => new() { Name = "node-a", TimeProvider = TimeProvider.System };
    }
}
