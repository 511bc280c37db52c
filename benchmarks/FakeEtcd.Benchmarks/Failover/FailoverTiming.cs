namespace FakeEtcd.Benchmarks.Failover;

/// <summary>
/// One watch-to-activate failover in wall time, and its steps as the standby's client saw them:
/// trigger sent → DELETE event read → CAS sent → CAS answer read → activation callback entered;
/// <see cref="StartedAt"/> is the trigger's <see cref="System.Diagnostics.Stopwatch"/> timestamp.
/// </summary>
public readonly record struct FailoverTiming(TimeSpan Total, TimeSpan ToEvent, TimeSpan EventToCas, TimeSpan Cas, TimeSpan CasToCallback, long StartedAt = 0);
