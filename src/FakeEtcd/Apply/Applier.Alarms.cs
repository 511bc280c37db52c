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
    /// What an active alarm does to a write at apply time, as etcd's capped and corrupt appliers: CORRUPT
    /// refuses every write, NOSPACE those that may add data (<paramref name="addsData"/>: a Put, a lease
    /// grant, a Txn with a Put in either top-level branch).
    /// </summary>
    private void CheckAlarmsLocked(bool addsData)
    {
        if (_alarms.Corrupt)
        {
            throw EtcdErrors.Corrupt();
        }

        if (addsData && _alarms.NoSpace)
        {
            throw EtcdErrors.NoSpace();
        }
    }

    /// <summary>etcd's quota cost of a Txn is above zero exactly when a top-level branch holds a Put.</summary>
    private static bool TxnAddsData(TxnRequest request) =>
        request.Success.Any(op => op.RequestPut is not null) || request.Failure.Any(op => op.RequestPut is not null);
}
