using System.Globalization;

namespace FakeEtcd.Clock;

/// <summary>How virtual instants read in histories, fault descriptions and invariant messages.</summary>
internal static class VirtualTimeText
{
    /// <summary>Virtual time as seconds with millisecond precision, e.g. <c>t=60.000s</c>.</summary>
    public static string Format(TimeSpan at) => string.Create(CultureInfo.InvariantCulture, $"t={at.TotalSeconds:F3}s");
}
