namespace FakeEtcd.TestSupport;

/// <summary>The skip rule for machines without etcd: skip locally, fail under CI=true.</summary>
public static class EtcdSkipRule
{
    /// <summary>
    /// Skips the calling test when etcd is missing, except under CI=true where a silently
    /// skipped compatibility suite would hide regressions, so it fails instead.
    /// </summary>
    public static string RequireOrSkip()
    {
        if (EtcdBinary.Path is { } path)
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
}
