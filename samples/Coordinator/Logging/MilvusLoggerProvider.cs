using Microsoft.Extensions.Logging;

namespace Coordinator.Logging;

/// <summary>
/// Loggers that write Milvus-format lines (<see cref="MilvusLogLine"/>) stamped with
/// <paramref name="time"/>, in its local time zone as Go prints local time: the session's clock, so
/// a coordinator on a virtual clock logs virtual time.
/// </summary>
internal sealed class MilvusLoggerProvider(TimeProvider time, TextWriter output, LogLevel minimumLevel) : ILoggerProvider
{
    private readonly Lock _gate = new();

    public LogLevel MinimumLevel => minimumLevel;

    public ILogger CreateLogger(string categoryName) => new MilvusLogger(categoryName, this);

    public void Dispose()
    {
        lock (_gate)
        {
            output.Flush();
        }
    }

    internal DateTimeOffset Now() => TimeZoneInfo.ConvertTime(time.GetUtcNow(), time.LocalTimeZone);

    /// <summary>One write per line, under a lock, so concurrent lines never interleave.</summary>
    internal void Write(string line)
    {
        lock (_gate)
        {
            output.Write(line + "\n");
        }
    }
}
