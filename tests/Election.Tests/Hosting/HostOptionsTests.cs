using Election.Hosting;
using Election.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Election.Tests.Hosting;

/// <summary>The hosted session's settings: Milvus's keys by environment name or section, Milvus's defaults, and a failed start naming every bad value.</summary>
public sealed class HostOptionsTests
{
    [Fact]
    public async Task Milvus_keys_are_read_by_environment_name_and_by_section_and_the_environment_name_wins()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        using var host = HostedCoordinator.Build(etcd, new ActivationRecord(etcd.Clock), new Dictionary<string, string?>
        {
            ["etcd:endpoints"] = "10.0.0.5:2379, http://10.0.0.6:2379",
            ["common:session:ttl"] = "20",
            ["COMMON_SESSION_TTL"] = "45",
            ["rootCoord:enableActiveStandby"] = "true",
            ["ETCD_ROOT_PATH"] = "prod/",
            ["etcd:metaSubPath"] = "/kv",
            ["ROOT_COORD_ADDRESS"] = "rootcoord:53100",
            ["COMMON__SESSION__RETRY_TIMES"] = "5",
            ["dataCoord:enableActiveStandby"] = "not a bool, and another role's",
        });

        var options = host.Services.GetRequiredService<IOptions<ActiveStandbyHostOptions>>().Value;

        Assert.Equal("rootcoord", options.Role);
        Assert.Equal([new Uri("http://10.0.0.5:2379"), new Uri("http://10.0.0.6:2379")], options.Endpoints);
        Assert.Equal(TimeSpan.FromSeconds(45), options.SessionTtl);
        Assert.True(options.EnableActiveStandby);
        Assert.Equal("prod/kv", options.MetaRoot);
        Assert.Equal("rootcoord:53100", options.Address);
        Assert.Equal(5, options.RegisterRetries);
    }

    [Fact]
    public async Task Without_settings_the_defaults_are_Milvuss()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        using var host = HostedCoordinator.Build(etcd, new ActivationRecord(etcd.Clock), new Dictionary<string, string?>());

        var options = host.Services.GetRequiredService<IOptions<ActiveStandbyHostOptions>>().Value;

        Assert.Equal([new Uri("http://localhost:2379")], options.Endpoints);
        Assert.Equal(TimeSpan.FromSeconds(60), options.SessionTtl);
        Assert.False(options.EnableActiveStandby);
        Assert.Equal("by-dev/meta", options.MetaRoot);
        Assert.Equal(30, options.RegisterRetries);
        Assert.True(options.StopApplicationOnLoss);
    }

    [Theory]
    [InlineData("COMMON_SESSION_TTL", "0", "common.session.ttl (COMMON_SESSION_TTL) must be a whole number of seconds, at least 1, not 0")]
    [InlineData("COMMON_SESSION_TTL", "-5", "common.session.ttl (COMMON_SESSION_TTL) must be a whole number of seconds, at least 1, not -5")]
    [InlineData("COMMON_SESSION_TTL", "1m", "common.session.ttl (COMMON_SESSION_TTL) must be a whole number of seconds, not '1m'")]
    [InlineData("ETCD_ENDPOINTS", "", "etcd.endpoints (ETCD_ENDPOINTS): names no endpoint")]
    [InlineData("ETCD_ENDPOINTS", " , ", "etcd.endpoints (ETCD_ENDPOINTS): names no endpoint")]
    [InlineData("ETCD_ENDPOINTS", "https://etcd:2379", "etcd.endpoints (ETCD_ENDPOINTS): 'https://etcd:2379' is not host:port or http://host:port")]
    [InlineData("ROOT_COORD_ENABLE_ACTIVE_STANDBY", "yes", "rootCoord.enableActiveStandby (ROOT_COORD_ENABLE_ACTIVE_STANDBY) must be true or false, not 'yes'")]
    [InlineData("COMMON_SESSION_RETRY_TIMES", "0", "common.session.retryTimes (COMMON_SESSION_RETRY_TIMES) must be at least 1, not 0")]
    public async Task A_bad_value_fails_the_start_naming_its_key_and_registers_nothing(string name, string value, string failure)
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        using var host = HostedCoordinator.Build(etcd, new ActivationRecord(etcd.Clock), new Dictionary<string, string?> { [name] = value });

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal([failure], e.Failures);
        await etcd.SettleAsync();
        Assert.Empty((await etcd.Operator.GetRangeAsync("by-dev", cancellationToken: TestContext.Current.CancellationToken)).Kvs);
    }

    [Fact]
    public async Task An_unknown_role_fails_the_start_with_the_roles_named()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        using var host = HostedCoordinator.Build(etcd, new ActivationRecord(etcd.Clock), new Dictionary<string, string?>(), role: "rootcord");

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(["unknown role 'rootcord': expected rootcoord, datacoord, querycoord, indexcoord or mixcoord"], e.Failures);
    }

    [Fact]
    public async Task Several_bad_values_are_reported_together()
    {
        await using var etcd = await VirtualEtcd.StartAsync();
        using var host = HostedCoordinator.Build(etcd, new ActivationRecord(etcd.Clock), new Dictionary<string, string?>
        {
            ["COMMON_SESSION_TTL"] = "0",
            ["ETCD_ENDPOINTS"] = "",
        });

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Equal(
            ["etcd.endpoints (ETCD_ENDPOINTS): names no endpoint", "common.session.ttl (COMMON_SESSION_TTL) must be a whole number of seconds, at least 1, not 0"],
            e.Failures);
    }
}
