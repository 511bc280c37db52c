using FakeEtcd.Cli;

namespace FakeEtcd;

/// <summary>
/// The standalone server's entry point. An explicit internal class rather than top-level statements,
/// whose generated Program is public: a consumer of the FakeEtcd package (often an app with its own
/// Program) must not see a second one.
/// </summary>
internal static class Program
{
    private static Task<int> Main(string[] args) => StandaloneCommand.RunAsync(args);
}
