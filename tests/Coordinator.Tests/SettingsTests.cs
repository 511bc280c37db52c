using Election.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Coordinator.Tests;

/// <summary>
/// Milvus's environment names and defaults as the coordinator reads them (Election.Hosting's binding
/// for the session, the demo's own LOG_LEVEL); a bad value is a one-line error naming its key.
/// </summary>
public sealed class SettingsTests
{
    [Fact]
    public void Defaults_are_milvuss_except_the_debug_log_level()
    {
        var settings = Settings([]);

        var session = ActiveStandbyHostOptions.FromConfiguration(settings, CoordinatorHost.Role);

        Assert.Equal([new Uri("http://localhost:2379")], session.Endpoints);
        Assert.False(session.EnableActiveStandby);
        Assert.Equal(TimeSpan.FromSeconds(60), session.SessionTtl);
        Assert.Equal(30, session.RegisterRetries);
        Assert.Equal("by-dev/meta", session.MetaRoot);
        Assert.Equal(string.Empty, session.Address); // the hosted session's default: localhost:53100
        Assert.Equal(LogLevel.Debug, CoordinatorLogLevel.FromConfiguration(settings));
    }

    [Fact]
    public void Every_setting_is_read_from_its_milvus_name()
    {
        var settings = Settings(new()
        {
            ["ETCD_ENDPOINTS"] = "127.0.0.1:2379, http://10.0.0.2:23790/",
            ["ROOT_COORD_ENABLE_ACTIVE_STANDBY"] = "True",
            ["COMMON_SESSION_TTL"] = "2",
            ["COMMON_SESSION_RETRY_TIMES"] = "3",
            ["ETCD_ROOT_PATH"] = "my-milvus",
            ["ETCD_META_SUB_PATH"] = "kv",
            ["ROOT_COORD_ADDRESS"] = "rootcoord-1:53100",
            ["LOG_LEVEL"] = "warn",
        });

        var session = ActiveStandbyHostOptions.FromConfiguration(settings, CoordinatorHost.Role);

        Assert.Equal([new Uri("http://127.0.0.1:2379"), new Uri("http://10.0.0.2:23790")], session.Endpoints);
        Assert.True(session.EnableActiveStandby);
        Assert.Equal(TimeSpan.FromSeconds(2), session.SessionTtl);
        Assert.Equal(3, session.RegisterRetries);
        Assert.Equal("my-milvus/kv", session.MetaRoot);
        Assert.Equal("rootcoord-1:53100", session.Address);
        Assert.Equal(LogLevel.Warning, CoordinatorLogLevel.FromConfiguration(settings));
    }

    [Theory]
    [InlineData("ROOT_COORD_ENABLE_ACTIVE_STANDBY", "yes", "rootCoord.enableActiveStandby (ROOT_COORD_ENABLE_ACTIVE_STANDBY) must be true or false, not 'yes'")]
    [InlineData("COMMON_SESSION_TTL", "1.5", "common.session.ttl (COMMON_SESSION_TTL) must be a whole number of seconds, not '1.5'")]
    [InlineData("COMMON_SESSION_TTL", "0", "common.session.ttl (COMMON_SESSION_TTL) must be a whole number of seconds, at least 1, not 0")]
    [InlineData("ETCD_ENDPOINTS", "https://127.0.0.1:2379", "etcd.endpoints (ETCD_ENDPOINTS): 'https://127.0.0.1:2379' is not host:port or http://host:port")]
    [InlineData("ETCD_ENDPOINTS", "127.0.0.1", "etcd.endpoints (ETCD_ENDPOINTS): '127.0.0.1' is not host:port or http://host:port")]
    [InlineData("ETCD_ENDPOINTS", " , ", "etcd.endpoints (ETCD_ENDPOINTS): names no endpoint")]
    public void A_bad_session_value_names_its_key(string name, string value, string error)
    {
        var e = Assert.Throws<OptionsValidationException>(() => ActiveStandbyHostOptions.FromConfiguration(Settings(new() { [name] = value }), CoordinatorHost.Role));

        Assert.Equal(error, e.Message);
    }

    [Fact]
    public void A_bad_log_level_names_its_key()
    {
        var e = Assert.Throws<SettingsException>(() => CoordinatorLogLevel.FromConfiguration(Settings(new() { ["LOG_LEVEL"] = "trace" })));

        Assert.Equal("log.level (LOG_LEVEL) must be debug, info, warn or error, not 'trace'", e.Message);
    }

    internal static IConfiguration Settings(Dictionary<string, string?> environment) =>
        new ConfigurationBuilder().AddInMemoryCollection(environment).Build();
}
