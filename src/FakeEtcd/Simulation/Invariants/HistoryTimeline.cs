using System.Globalization;
using System.Net;
using System.Text;
using FakeEtcd.Simulation.History;

namespace FakeEtcd.Simulation.Invariants;

/// <summary>
/// Renders a history as a self-contained HTML page with an SVG timeline: one lane per client, active
/// claims as bars, fault windows as shaded bands, and a mark for every entry (hover for its text).
/// </summary>
public static class HistoryTimeline
{
    private const int LaneHeight = 36;
    private const int Left = 110;
    private const int Width = 1100;

    /// <summary>The page for <paramref name="history"/> with <paramref name="title"/>.</summary>
    public static string ToHtml(IReadOnlyList<HistoryEntry> history, string title)
    {
        ArgumentNullException.ThrowIfNull(history);
        var lanes = history.Select(e => e.Client).Distinct().Order(StringComparer.Ordinal).ToList();
        var end = Math.Max(1, history.Count == 0 ? 1 : history[^1].At.TotalSeconds);
        double X(TimeSpan at) => Left + (Math.Min(at.TotalSeconds, end) / end * (Width - Left - 20));
        int Y(string client) => 30 + (lanes.IndexOf(client) * LaneHeight);
        var svg = new StringBuilder();
        var height = 50 + (lanes.Count * LaneHeight);
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{height}\" font-family=\"monospace\" font-size=\"11\">\n");
        foreach (var lane in lanes)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"4\" y=\"{Y(lane) + 4}\">{Escape(lane)}</text><line x1=\"{Left}\" x2=\"{Width - 20}\" y1=\"{Y(lane)}\" y2=\"{Y(lane)}\" stroke=\"#ccc\"/>\n");
        }

        foreach (var start in history.Where(e => e.Kind == HistoryKind.FaultStarted))
        {
            var healed = history.FirstOrDefault(e => e.Kind == HistoryKind.FaultHealed && e.Sequence > start.Sequence && e.Detail == start.Detail);
            var x1 = X(start.At);
            var x2 = Math.Max(x1 + 2, X(healed?.At ?? TimeSpan.FromSeconds(end)));
            var (y, h) = start.Key is { } who && lanes.Contains(who) ? (Y(who) - 14, 28) : (16, height - 30);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x1:F1}\" y=\"{y}\" width=\"{x2 - x1:F1}\" height=\"{h}\" fill=\"#f4a\" fill-opacity=\"0.18\"><title>{Escape(start.Detail)}</title></rect>\n");
        }

        foreach (var claim in ActiveClaim.From(history))
        {
            var x1 = X(claim.Start.At);
            var x2 = Math.Max(x1 + 2, X(claim.EndedAt == TimeSpan.MaxValue ? TimeSpan.FromSeconds(end) : claim.EndedAt));
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x1:F1}\" y=\"{Y(claim.Client) - 5}\" width=\"{x2 - x1:F1}\" height=\"10\" fill=\"#2a2\" fill-opacity=\"0.6\"><title>active {Escape(claim.ServerName)} lease {claim.LeaseId:x}</title></rect>\n");
        }

        foreach (var entry in history)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{X(entry.At):F1}\" cy=\"{Y(entry.Client)}\" r=\"3\" fill=\"{Color(entry.Kind)}\"><title>{Escape(entry.ToString())}</title></circle>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{height - 6}\">0 s</text><text x=\"{Width - 80}\" y=\"{height - 6}\">{end:F1} s</text>\n</svg>\n");
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").Append(Escape(title)).Append("</title></head><body>\n<h3>")
            .Append(Escape(title)).Append("</h3>\n").Append(svg)
            .Append("<p>green: active claims; pink: fault windows; dots: history entries (hover for details)</p>\n<pre>")
            .Append(Escape(string.Join('\n', history.Select(e => e.ToString())))).Append("</pre>\n</body></html>\n");
        return page.ToString();
    }

    private static string Color(HistoryKind kind) => kind switch
    {
        HistoryKind.Commit => "#06c",
        HistoryKind.KeepAlive => "#999",
        HistoryKind.KeepAliveDropped or HistoryKind.FaultApplied or HistoryKind.StreamSevered => "#d00",
        HistoryKind.LeaseExpired or HistoryKind.LeaseRevoked => "#000",
        HistoryKind.WatchDelivered or HistoryKind.WatchCreated => "#a60",
        HistoryKind.Note => "#2a2",
        _ => "#555",
    };

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
