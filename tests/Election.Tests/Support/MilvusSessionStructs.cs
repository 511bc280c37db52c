namespace Election.Tests.Support;

/// <summary>
/// Milvus's session structs per generation, field for field from internal/util/sessionutil/session_util.go
/// (names, Go types and json tags in declaration order), for <see cref="GoStruct"/>.
/// </summary>
public static class MilvusSessionStructs
{
    /// <summary>2.2.x and 2.3.0: the anonymous struct of the hand-written MarshalJSON/UnmarshalJSON.</summary>
    public static readonly GoStruct Milvus22 = new(
        new("ServerID", GoKind.Int64, OmitEmpty: true),
        new("ServerName", GoKind.String, OmitEmpty: true),
        new("Address", GoKind.String, OmitEmpty: true),
        new("Exclusive", GoKind.Bool, OmitEmpty: true),
        new("Stopping", GoKind.Bool, OmitEmpty: true),
        new("TriggerKill", GoKind.Bool, OmitEmpty: false), // no json tag
        new("Version", GoKind.String, OmitEmpty: false));

    /// <summary>IndexEngineVersion (2.3.2 to 2.6): MinimalIndexVersion and CurrentIndexVersion, int32, omitempty.</summary>
    public static readonly GoStruct IndexEngineVersion = new(
        new("MinimalIndexVersion", GoKind.Int64, OmitEmpty: true),
        new("CurrentIndexVersion", GoKind.Int64, OmitEmpty: true));

    /// <summary>2.3.2 to 2.4.x: SessionRaw (2.4.16+ adds ServerLabels, 2.3 has none; both omit it when empty).</summary>
    public static readonly GoStruct Milvus23 = new(
        [.. Milvus22.Fields,
        new("IndexEngineVersion", GoKind.Struct, OmitEmpty: true, IndexEngineVersion),
        new("LeaseID", GoKind.Int64Pointer, OmitEmpty: true),
        new("HostName", GoKind.String, OmitEmpty: true),
        new("EnableDisk", GoKind.Bool, OmitEmpty: true),
        new("ServerLabels", GoKind.StringMap, OmitEmpty: true)]);

    /// <summary>2.5.11 to 2.6.x: SessionRaw with ScalarIndexEngineVersion and IndexNonEncoding, without EnableDisk.</summary>
    public static readonly GoStruct Milvus25 = new(
        [.. Milvus22.Fields,
        new("IndexEngineVersion", GoKind.Struct, OmitEmpty: true, IndexEngineVersion),
        new("ScalarIndexEngineVersion", GoKind.Struct, OmitEmpty: true, IndexEngineVersion),
        new("IndexNonEncoding", GoKind.Bool, OmitEmpty: true),
        new("LeaseID", GoKind.Int64Pointer, OmitEmpty: true),
        new("HostName", GoKind.String, OmitEmpty: true),
        new("ServerLabels", GoKind.StringMap, OmitEmpty: true)]);

    public static GoStruct For(SessionValueLayout layout) => layout switch
    {
        SessionValueLayout.Milvus22 => Milvus22,
        SessionValueLayout.Milvus23 => Milvus23,
        _ => Milvus25,
    };
}
