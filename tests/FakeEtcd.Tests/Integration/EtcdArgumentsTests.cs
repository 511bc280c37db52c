using System.Collections;
using FakeEtcd.Cli;

namespace FakeEtcd.Tests.Integration;

/// <summary>etcd's command-line conventions: Go's flag forms, ETCD_* variables, and the error for a flag etcd does not define.</summary>
public sealed class EtcdArgumentsTests
{
    private static readonly IReadOnlySet<string> Subcommands = new HashSet<string> { "clock", "faults" };

    [Fact]
    public void Go_flag_forms_become_System_CommandLine_s()
    {
        var prepared = EtcdArguments.Prepare(["-name", "n1", "-listen-client-urls=http://127.0.0.1:0", "--max-txn-ops=64", "-h", "--quota-backend-bytes", "-1"], new Hashtable(), Subcommands);

        Assert.Equal(["--name", "n1", "--listen-client-urls", "http://127.0.0.1:0", "--max-txn-ops", "64", "-h", "--quota-backend-bytes", "-1"], prepared.Args);
        Assert.Equal((null, 0), (prepared.Error, prepared.ExitCode));
    }

    [Fact]
    public void Etcd_variables_become_flags_and_unknown_ones_are_warned_about()
    {
        var environment = new Hashtable
        {
            ["ETCD_NAME"] = "envnode",
            ["ETCD_LISTEN_CLIENT_URLS"] = "http://127.0.0.1:2379",
            ["ETCD_DATA_DIR"] = "/var/lib/etcd",
            ["ETCD_BOGUS"] = "1",
            ["ETCD_UNSUPPORTED_ARCH"] = "arm",
            ["ETCDCTL_API"] = "3",
            ["PATH"] = "/usr/bin",
        };

        var prepared = EtcdArguments.Prepare(["--max-txn-ops", "64"], environment, Subcommands);

        Assert.Equal(["--max-txn-ops", "64", "--data-dir", "/var/lib/etcd", "--listen-client-urls", "http://127.0.0.1:2379", "--name", "envnode"], prepared.Args);
        Assert.Equal(["warning: unrecognized environment variable ETCD_BOGUS=1"], prepared.Warnings);
        Assert.Null(prepared.Error);
    }

    [Fact]
    public void A_variable_shadowed_by_its_flag_is_etcd_s_fatal_error()
    {
        var prepared = EtcdArguments.Prepare(["-name=n1"], new Hashtable { ["ETCD_NAME"] = "envnode" }, Subcommands);

        Assert.Equal(
            ("error: conflicting environment variable \"ETCD_NAME\" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)", 1),
            (prepared.Error, prepared.ExitCode));
    }

    [Fact]
    public void Subcommands_are_left_alone()
    {
        var prepared = EtcdArguments.Prepare(["clock", "advance", "-x=1"], new Hashtable { ["ETCD_NAME"] = "envnode" }, Subcommands);

        Assert.Equal(["clock", "advance", "-x=1"], prepared.Args);
    }

    [Theory]
    [InlineData(new[] { "--data-dir", "/tmp/x", "--enable-v2", "true" }, false, "warning: ignoring unsupported etcd flags: --data-dir /tmp/x --enable-v2 true", null)]
    [InlineData(new[] { "--data-dir", "/tmp/x", "--bogus", "1" }, false, null, "flag provided but not defined: -bogus")]
    [InlineData(new[] { "--bogus" }, true, "warning: ignoring unsupported etcd flags: --bogus", null)]
    [InlineData(new string[0], false, null, null)]
    public void Unmatched_flags_are_ignored_when_etcd_defines_them_and_rejected_otherwise(string[] unmatched, bool ignoreUnknown, string? warning, string? error)
    {
        Assert.Equal((warning, error), EtcdArguments.JudgeUnmatched(unmatched, ignoreUnknown));
    }

    [Fact]
    public void A_config_file_is_the_configuration_and_other_etcd_flags_and_the_environment_are_ignored()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fakeetcd-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, """
            # etcd.conf.yml
            name: 'node1'
            data-dir: /var/lib/etcd
            listen-client-urls: http://127.0.0.1:2379
            max-txn-ops: 64
            not-an-etcd-key: 1
            client-transport-security:
              cert-file: /etc/etcd/server.crt
              key-file: /etc/etcd/server.key
              client-cert-auth: false
            """);
        try
        {
            var prepared = EtcdArguments.Prepare(["-config-file", path, "--name", "cli", "--clock", "virtual"], new Hashtable { ["ETCD_NAME"] = "env" }, Subcommands);

            Assert.Equal(
                [
                    "--name", "node1", "--data-dir", "/var/lib/etcd", "--listen-client-urls", "http://127.0.0.1:2379", "--max-txn-ops", "64",
                    "--cert-file", "/etc/etcd/server.crt", "--key-file", "/etc/etcd/server.key", "--client-cert-auth", "false", "--clock", "virtual",
                ],
                prepared.Args);
            Assert.Equal([$"warning: --config-file {path} is the configuration, as on etcd; ignoring the command line's --name cli"], prepared.Warnings);
            Assert.Null(prepared.Error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("name: [unclosed", "is not valid YAML")]
    [InlineData("- a\n- b", "must be a YAML mapping of etcd's flag names to values")]
    public void A_config_file_that_does_not_read_stops_the_start(string content, string reason)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fakeetcd-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, content.Replace("\\n", "\n", StringComparison.Ordinal));
        try
        {
            var prepared = EtcdArguments.Prepare([], new Hashtable { ["ETCD_CONFIG_FILE"] = path }, Subcommands);

            Assert.Equal(1, prepared.ExitCode);
            Assert.StartsWith($"error: --config-file {path} {reason}", prepared.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_config_file_stops_the_start()
    {
        var prepared = EtcdArguments.Prepare(["--config-file", "/nonexistent/etcd.yml"], new Hashtable(), Subcommands);

        Assert.Equal(1, prepared.ExitCode);
        Assert.StartsWith("error: cannot read --config-file /nonexistent/etcd.yml: ", prepared.Error, StringComparison.Ordinal);
    }
}
