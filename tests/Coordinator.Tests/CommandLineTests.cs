namespace Coordinator.Tests;

/// <summary>What the command line refuses, with exit code 2 and one line on stderr, before any etcd call.</summary>
public sealed class CommandLineTests
{
    [Theory]
    [InlineData(new[] { "--clock", "virtual" }, "error: --clock must be system or follow, not 'virtual'")]
    [InlineData(new[] { "--verbose" }, "error: Unrecognized command or argument '--verbose'.")]
    public async Task Unusable_flags_exit_with_2_and_one_line(string[] args, string error)
    {
        var (code, output, errors) = await RunAsync(args, []);

        Assert.Equal((CoordinatorCommand.UsageError, string.Empty, error + "\n"), (code, output, errors));
    }

    [Fact]
    public async Task An_unusable_environment_value_exits_with_2_and_one_line()
    {
        var (code, output, errors) = await RunAsync(["--clock", "system"], new() { ["COMMON_SESSION_TTL"] = "sixty" });

        Assert.Equal(
            (CoordinatorCommand.UsageError, string.Empty, "error: common.session.ttl (COMMON_SESSION_TTL) must be a whole number of seconds, not 'sixty'\n"),
            (code, output, errors));
    }

    private static async Task<(int Code, string Output, string Errors)> RunAsync(string[] args, Dictionary<string, string?> environment)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var errors = new StringWriter { NewLine = "\n" };
        var code = await CoordinatorCommand.RunAsync(args, SettingsTests.Settings(environment), output, errors);
        return (code, output.ToString(), errors.ToString());
    }
}
