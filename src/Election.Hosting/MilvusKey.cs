namespace Election.Hosting;

/// <summary>
/// One Milvus setting, named as milvus.yaml names it (<c>common.session.ttl</c>), and found in a .NET
/// configuration as Milvus's paramtable finds it: a key matches when it equals the setting's name once
/// both are lower-cased and stripped of <c>.</c>, <c>_</c>, <c>/</c> and <c>:</c>. So
/// <c>COMMON_SESSION_TTL</c> (an environment variable), <c>common:session:ttl</c> (a JSON or YAML
/// section) and <c>COMMON__SESSION__TTL</c> all set it.
/// </summary>
internal readonly record struct MilvusKey(string Name)
{
    /// <summary>The environment variable Milvus documents for it: <c>rootCoord.enableActiveStandby</c> is ROOT_COORD_ENABLE_ACTIVE_STANDBY.</summary>
    public string EnvironmentName
    {
        get
        {
            var text = new System.Text.StringBuilder();
            foreach (var c in Name)
            {
                if (c == '.')
                {
                    text.Append('_');
                }
                else
                {
                    if (char.IsUpper(c))
                    {
                        text.Append('_');
                    }

                    text.Append(char.ToUpperInvariant(c));
                }
            }

            return text.ToString();
        }
    }

    /// <summary>How an error names it: <c>common.session.ttl (COMMON_SESSION_TTL)</c>.</summary>
    public string Display => $"{Name} ({EnvironmentName})";

    public static string Normalize(string key)
    {
        var text = new System.Text.StringBuilder(key.Length);
        foreach (var c in key)
        {
            if (c is not ('.' or '_' or '/' or ':'))
            {
                text.Append(char.ToLowerInvariant(c));
            }
        }

        return text.ToString();
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}
