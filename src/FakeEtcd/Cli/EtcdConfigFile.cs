using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace FakeEtcd.Cli;

/// <summary>
/// etcd's <c>--config-file</c>: a YAML mapping whose keys are etcd's flag names, with the client TLS
/// settings under <c>client-transport-security</c>. It becomes the flags it stands for; keys etcd
/// does not know are skipped, as etcd's YAML decoding skips them.
/// </summary>
internal static class EtcdConfigFile
{
    /// <summary>The keys of <c>client-transport-security</c>: each is the flag of the same name.</summary>
    private static readonly HashSet<string> ClientSecurity = new(StringComparer.Ordinal) { "cert-file", "key-file", "client-cert-auth", "trusted-ca-file", "auto-tls" };

    /// <summary>The flags <paramref name="path"/> sets, or the reason it cannot be read.</summary>
    public static (string[] Flags, string? Error) Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([], $"error: cannot read --config-file {path}: {e.Message}");
        }

        var yaml = new YamlStream();
        try
        {
            yaml.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            return ([], $"error: --config-file {path} is not valid YAML: {e.Message}");
        }

        if (yaml.Documents.Count == 0)
        {
            return ([], null);
        }

        if (yaml.Documents[0].RootNode is not YamlMappingNode root)
        {
            return ([], $"error: --config-file {path} must be a YAML mapping of etcd's flag names to values");
        }

        var flags = new List<string>();
        foreach (var (keyNode, valueNode) in root.Children)
        {
            var key = ((YamlScalarNode)keyNode).Value ?? string.Empty;
            if (key == "client-transport-security" && valueNode is YamlMappingNode security)
            {
                foreach (var (nested, nestedValue) in security.Children)
                {
                    var flag = ((YamlScalarNode)nested).Value ?? string.Empty;
                    if (ClientSecurity.Contains(flag) && Value(nestedValue) is { Length: > 0 } value)
                    {
                        flags.AddRange(["--" + flag, value]);
                    }
                }
            }
            else if (key != "config-file" && EtcdFlags.All.Contains(key) && Value(valueNode) is { } value && (value.Length > 0 || key == "name"))
            {
                flags.AddRange(["--" + key, value]);
            }
        }

        return ([.. flags], null);
    }

    /// <summary>A scalar as it is; a sequence as etcd's comma-separated flag value; null for a mapping.</summary>
    private static string? Value(YamlNode node) => node switch
    {
        YamlScalarNode scalar => scalar.Value ?? string.Empty,
        YamlSequenceNode sequence => string.Join(',', sequence.Children.OfType<YamlScalarNode>().Select(s => s.Value)),
        _ => null,
    };
}
