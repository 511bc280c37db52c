using EtcdProtocol.Etcdserverpb;
using FakeEtcd.Errors;

namespace FakeEtcd.Apply;

/// <summary>The alarm half of the apply path: Alarm requests, and the writes an active alarm refuses.</summary>
internal sealed partial class Applier
{
    private readonly AlarmStore _alarms = new();

    /// <summary>The active alarms, oldest first (for /health).</summary>
    public IReadOnlyList<AlarmMember> ActiveAlarms()
    {
        lock (_gate)
        {
            return [.. _alarms.Get(AlarmType.None).Select(a => a.Clone())];
        }
    }

    /// <summary>etcd's Alarm: GET lists, ACTIVATE raises, DEACTIVATE clears; the answer lists what it touched.</summary>
    public AlarmResponse Alarm(AlarmRequest request)
    {
        lock (_gate)
        {
            _raftIndex++; // etcd puts every Alarm request, GET too, through raft.
            var response = new AlarmResponse();
            switch (request.Action)
            {
                case AlarmRequest.Types.AlarmAction.Get:
                    response.Alarms.AddRange(_alarms.Get(request.Alarm).Select(a => a.Clone()));
                    break;
                case AlarmRequest.Types.AlarmAction.Activate:
                    response.Alarms.Add(_alarms.Activate(request.MemberID, request.Alarm).Clone());
                    break;
                case AlarmRequest.Types.AlarmAction.Deactivate:
                    if (_alarms.Deactivate(request.MemberID, request.Alarm) is { } cleared)
                    {
                        response.Alarms.Add(cleared);
                    }

                    break;
            }

            return response;
        }
    }

    /// <summary>
    /// The quota and the alarms, in etcd's order. First the quota (etcd's quotaAlarmer, before raft): a
    /// write that may add data (<paramref name="quotaCost"/> above 0) and would take the backend to the
    /// quota raises NOSPACE for this member and is refused. Then the alarms at apply time, as etcd's
    /// capped and corrupt appliers: CORRUPT refuses every write, NOSPACE those that may add data.
    /// </summary>
    private void CheckAlarmsLocked(long quotaCost)
    {
        if (quotaCost > 0 && Limits.QuotaBackendBytes > 0 && ApproximateDbSize + quotaCost >= Limits.QuotaBackendBytes)
        {
            _raftIndex++; // The alarm goes through raft; the refused write does not.
            _alarms.Activate(_memberId, AlarmType.Nospace);
            throw EtcdErrors.NoSpace();
        }

        if (_alarms.Corrupt)
        {
            throw EtcdErrors.Corrupt();
        }

        if (quotaCost > 0 && _alarms.NoSpace)
        {
            throw EtcdErrors.NoSpace();
        }
    }
}
