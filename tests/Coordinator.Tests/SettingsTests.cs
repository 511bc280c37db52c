using Microsoft.Extensions.Logging;

namespace Coordinator.Tests;

/// <summary>Milvus's environment names and defaults; a bad value is a one-line error naming the variable.</summary>
public sealed class SettingsTests
{
    [Fact]
    public void Defaults_are_milvuss_except_the_debug_log_level()
    {
        var settings = CoordinatorSettings.FromEnvironment(_ => null);

        Assert.Equal([new Uri("http://localhost:2379")], settings.Endpoints);
        Assert.False(settings.EnableActiveStandby);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.SessionTtl);
        Assert.Equal("by-dev/meta", settings.MetaRoot);
        Assert.Equal("localhost:53100", settings.Address);
        Assert.Equal(LogLevel.Debug, settings.LogLevel);
    }

    [Fact]
    public void Every_setting_is_read_from_its_milvus_name()
    {
        var environment = new Dictionary<string, string>
        {
            ["ETCD_ENDPOINTS"] = "127.0.0.1:2379, http://10.0.0.2:23790/",
            ["ROOT_COORD_ENABLE_ACTIVE_STANDBY"] = "True",
            ["COMMON_SESSION_TTL"] = "2",
            ["ETCD_ROOT_PATH"] = "my-milvus",
            ["ETCD_META_SUB_PATH"] = "kv",
            ["ROOT_COORD_ADDRESS"] = "rootcoord-1:53100",
            ["LOG_LEVEL"] = "warn",
        };

        var settings = CoordinatorSettings.FromEnvironment(name => environment.GetValueOrDefault(name));

        Assert.Equal([new Uri("http://127.0.0.1:2379"), new Uri("http://10.0.0.2:23790")], settings.Endpoints);
        Assert.True(settings.EnableActiveStandby);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.SessionTtl);
        Assert.Equal("my-milvus/kv", settings.MetaRoot);
        Assert.Equal("rootcoord-1:53100", settings.Address);
        Assert.Equal(LogLevel.Warning, settings.LogLevel);
    }

    [Theory]
    [InlineData("ROOT_COORD_ENABLE_ACTIVE_STANDBY", "yes", "ROOT_COORD_ENABLE_ACTIVE_STANDBY must be true or false, not 'yes'")]
    [InlineData("COMMON_SESSION_TTL", "1.5", "COMMON_SESSION_TTL must be a whole number of seconds, at least 1, not '1.5'")]
    [InlineData("COMMON_SESSION_TTL", "0", "COMMON_SESSION_TTL must be a whole number of seconds, at least 1, not '0'")]
    [InlineData("ETCD_ENDPOINTS", "https://127.0.0.1:2379", "ETCD_ENDPOINTS: 'https://127.0.0.1:2379' is not host:port or http://host:port")]
    [InlineData("ETCD_ENDPOINTS", "127.0.0.1", "ETCD_ENDPOINTS: '127.0.0.1' is not host:port or http://host:port")]
    [InlineData("ETCD_ENDPOINTS", " , ", "ETCD_ENDPOINTS names no endpoint")]
    [InlineData("LOG_LEVEL", "trace", "LOG_LEVEL must be debug, info, warn or error, not 'trace'")]
    public void A_bad_value_names_the_variable(string name, string value, string error)
    {
        var e = Assert.Throws<SettingsException>(() => CoordinatorSettings.FromEnvironment(n => n == name ? value : null));

        Assert.Equal(error, e.Message);
    }
}
