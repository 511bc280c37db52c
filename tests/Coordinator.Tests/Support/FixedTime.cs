namespace Coordinator.Tests.Support;

/// <summary>A clock that stands still at <paramref name="now"/>, in time zone <paramref name="zone"/>.</summary>
internal sealed class FixedTime(DateTimeOffset now, TimeZoneInfo zone) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now.ToUniversalTime();

    public override TimeZoneInfo LocalTimeZone => zone;
}
