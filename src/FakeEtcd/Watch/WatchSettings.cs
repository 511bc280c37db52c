namespace FakeEtcd.Watch;

/// <summary>How watch streams behave on this server.</summary>
/// <param name="ProgressNotifyInterval">etcd's progress report interval (10 minutes by default).</param>
/// <param name="FragmentBytes">Responses this large are split for fragment watchers (max request bytes + 512 KiB).</param>
/// <param name="StreamCapacity">Responses a stream may queue before its watchers fall back to catch-up.</param>
internal sealed record WatchSettings(TimeSpan ProgressNotifyInterval, int FragmentBytes, int StreamCapacity = 1024);
