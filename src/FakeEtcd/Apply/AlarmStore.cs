using EtcdProtocol.Etcdserverpb;

namespace FakeEtcd.Apply;

/// <summary>
/// etcd's alarm store (etcdserver/api/v3alarm): one alarm per (member, type), raised and cleared by
/// Alarm requests on the apply path. An active NOSPACE caps writes, an active CORRUPT refuses them.
/// </summary>
internal sealed class AlarmStore
{
    private readonly List<AlarmMember> _alarms = [];

    public bool NoSpace => _alarms.Exists(a => a.Alarm == AlarmType.Nospace);

    public bool Corrupt => _alarms.Exists(a => a.Alarm == AlarmType.Corrupt);

    /// <summary>The active alarms of <paramref name="type"/>, or all of them for NONE.</summary>
    public IEnumerable<AlarmMember> Get(AlarmType type) =>
        type == AlarmType.None ? _alarms : _alarms.Where(a => a.Alarm == type);

    /// <summary>Raises the alarm, or returns the one already raised for that member and type.</summary>
    public AlarmMember Activate(ulong memberId, AlarmType type)
    {
        if (Find(memberId, type) is { } raised)
        {
            return raised;
        }

        var alarm = new AlarmMember { MemberID = memberId, Alarm = type };
        _alarms.Add(alarm);
        return alarm;
    }

    /// <summary>Clears the alarm; null when it was not raised.</summary>
    public AlarmMember? Deactivate(ulong memberId, AlarmType type)
    {
        var raised = Find(memberId, type);
        if (raised is not null)
        {
            _alarms.Remove(raised);
        }

        return raised;
    }

    private AlarmMember? Find(ulong memberId, AlarmType type) => _alarms.Find(a => a.MemberID == memberId && a.Alarm == type);
}
