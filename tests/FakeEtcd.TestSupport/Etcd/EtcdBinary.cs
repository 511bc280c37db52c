namespace FakeEtcd.TestSupport;

/// <summary>Finds the real etcd binary (also linked into the benchmarks, so no test framework here).</summary>
public static class EtcdBinary
{
    private static readonly Lazy<string?> Found = new(FindOnPath);

    /// <summary>Full path of etcd on PATH, or null.</summary>
    public static string? Path => Found.Value;

    /// <summary>Full path of etcd on PATH; throws when there is none.</summary>
    public static string Require() =>
        Path ?? throw new InvalidOperationException("No 'etcd' executable on PATH (apt-get install etcd-server).");

    private static string? FindOnPath()
    {
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        var name = OperatingSystem.IsWindows() ? "etcd.exe" : "etcd";
        return dirs.Select(d => System.IO.Path.Combine(d, name)).FirstOrDefault(File.Exists);
    }
}
