using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Election.Hosting;

/// <summary>
/// Reads a role's active-standby settings from a configuration by Milvus's keys (see
/// <see cref="MilvusKey"/>), with Milvus's defaults. A value that does not parse is recorded as a
/// problem, reported when the host starts, and leaves the default in place.
/// </summary>
internal static class MilvusConfiguration
{
    public static readonly MilvusKey Endpoints = new("etcd.endpoints");
    public static readonly MilvusKey RootPath = new("etcd.rootPath");
    public static readonly MilvusKey MetaSubPath = new("etcd.metaSubPath");
    public static readonly MilvusKey SessionTtl = new("common.session.ttl");
    public static readonly MilvusKey RetryTimes = new("common.session.retryTimes");

    public static MilvusKey EnableActiveStandby(MilvusRole role) => new(role.Section + ".enableActiveStandby");

    public static MilvusKey Address(MilvusRole role) => new(role.Section + ".address");

    public static void Apply(IConfiguration configuration, string role, ActiveStandbyHostOptions options)
    {
        var values = Index(configuration);
        string? Get(MilvusKey key) => values.TryGetValue(MilvusKey.Normalize(key.Name), out var value) ? value : null;

        options.Role = role;
        if (Get(Endpoints) is { } endpoints)
        {
            try
            {
                options.Endpoints = EtcdEndpoints.Parse(endpoints);
            }
            catch (FormatException e)
            {
                options.Problems.Add($"{Endpoints.Display}: {e.Message}");
            }
        }

        var rootPath = Get(RootPath) ?? "by-dev";
        var metaSubPath = Get(MetaSubPath) ?? "meta";
        options.MetaRoot = rootPath.TrimEnd('/') + "/" + metaSubPath.Trim('/');

        if (Get(SessionTtl) is { } ttl)
        {
            if (long.TryParse(ttl, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds) && seconds is >= int.MinValue and <= int.MaxValue)
            {
                options.SessionTtl = TimeSpan.FromSeconds(seconds); // out of range (0, negative) is the validator's to report
            }
            else
            {
                options.Problems.Add($"{SessionTtl.Display} must be a whole number of seconds, not '{ttl}'");
            }
        }

        if (Get(RetryTimes) is { } retries)
        {
            if (int.TryParse(retries, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
            {
                options.RegisterRetries = count;
            }
            else
            {
                options.Problems.Add($"{RetryTimes.Display} must be a whole number, not '{retries}'");
            }
        }

        if (!MilvusRole.All.TryGetValue(role, out var known))
        {
            return; // the validator names the unknown role
        }

        if (Get(EnableActiveStandby(known)) is { } enable)
        {
            if (ParseGoBool(enable) is { } on)
            {
                options.EnableActiveStandby = on;
            }
            else
            {
                options.Problems.Add($"{EnableActiveStandby(known).Display} must be true or false, not '{enable}'");
            }
        }

        options.Address = Get(Address(known)) ?? options.Address;
    }

    /// <summary>
    /// The configuration's values by normalized key. A flat key (an environment variable's name) wins
    /// over a sectioned one, as Milvus's environment wins over milvus.yaml; among equals, the
    /// ordinally first key.
    /// </summary>
    private static Dictionary<string, string> Index(IConfiguration configuration)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = configuration.AsEnumerable(makePathsRelative: true)
            .Where(e => e.Value is not null)
            .OrderBy(e => e.Key.Contains(':', StringComparison.Ordinal) ? 1 : 0)
            .ThenBy(e => e.Key, StringComparer.Ordinal);
        foreach (var (key, value) in entries)
        {
            values.TryAdd(MilvusKey.Normalize(key), value!);
        }

        return values;
    }

    /// <summary>Go's strconv.ParseBool, which Milvus's paramtable uses.</summary>
    private static bool? ParseGoBool(string value) => value switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => null,
    };
}
