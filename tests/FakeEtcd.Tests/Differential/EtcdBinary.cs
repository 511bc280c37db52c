namespace FakeEtcd.Tests.Differential;

/// <summary>Finds the real etcd binary and applies the skip rule for machines without it.</summary>
public static class EtcdBinary
{
    private static readonly Lazy<string?> Found = new(FindOnPath);

    /// <summary>Full path of etcd on PATH, or null.</summary>
    public static string? Path => Found.Value;

    /// <summary>
    /// Skips the calling test when etcd is missing, except under CI=true where a silently
    /// skipped compatibility suite would hide regressions, so it fails instead.
    /// </summary>
    public static string RequireOrSkip()
    {
        if (Path is { } path)
        {
            return path;
        }

        var onCi = string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);
        if (onCi)
        {
            Assert.Fail("CI=true but no 'etcd' executable was found on PATH; differential tests need a real etcd (3.4+).");
        }

        Assert.Skip("No 'etcd' executable on PATH: differential tests against real etcd are skipped.");
        return string.Empty; // Unreachable: Assert.Skip throws.
    }

    private static string? FindOnPath()
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var name = OperatingSystem.IsWindows() ? "etcd.exe" : "etcd";
        return dirs.Select(d => System.IO.Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }
}
