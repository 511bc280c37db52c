namespace FakeEtcd.Tests.Load;

/// <summary>One watch event as a watcher saw it, comparable with the committed history.</summary>
internal readonly record struct SeenEvent(long Revision, bool IsDelete, string Key, string Value)
{
    public static SeenEvent From(Mvccpb.Event e) =>
        new(e.Kv.ModRevision, e.Type == Mvccpb.Event.Types.EventType.Delete, e.Kv.Key.ToStringUtf8(), e.Kv.Value.ToStringUtf8());

    public override string ToString() => $"{Revision} {(IsDelete ? "DELETE" : "PUT")} {Key}={Value}";
}
