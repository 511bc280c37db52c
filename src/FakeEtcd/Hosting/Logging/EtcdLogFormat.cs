namespace FakeEtcd.Hosting.Logging;

/// <summary>etcd's two log encoders (<c>--logger</c>).</summary>
internal enum EtcdLogFormat
{
    /// <summary>zap's JSON lines: level, ts, caller, msg, then the fields.</summary>
    Zap,

    /// <summary>capnslog's text lines (etcd 3.4's default, deprecated): <c>2026-12-08 00:20:24.058839 I | pkg: message</c>.</summary>
    Capnslog,
}
