using System.Globalization;
using System.Net;
using System.Text;

namespace FakeEtcd.Benchmarks.Report;

/// <summary>A small horizontal grouped bar chart as SVG: one group per category, one bar per series.</summary>
internal static class SvgBarChart
{
    private static readonly string[] Colors = ["#2b7bb9", "#66a61e", "#d95f02", "#e7298a", "#7570b3", "#1b9e77"];

    public static string Render(string title, string unit, IReadOnlyList<string> series, IReadOnlyList<(string Category, double?[] Values)> groups)
    {
        const int labelWidth = 230, barHeight = 14, groupGap = 12, width = 760, top = 40, legendColumns = 4, legendRow = 16;
        var max = groups.SelectMany(g => g.Values).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(1).Max();
        var legendRows = (series.Count + legendColumns - 1) / legendColumns;
        var height = top + (groups.Count * ((series.Count * barHeight) + groupGap)) + 14 + (legendRows * legendRow);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>\n");
        for (var s = 0; s < series.Count; s++)
        {
            var (x, legendY) = (10 + (s % legendColumns * 185), height - ((legendRows - (s / legendColumns)) * legendRow) - 2);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x}\" y=\"{legendY}\" width=\"10\" height=\"10\" fill=\"{Colors[s % Colors.Length]}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + 14}\" y=\"{legendY + 9}\">{Escape(series[s])}</text>\n");
        }

        var y = top;
        foreach (var (category, values) in groups)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth - 6}\" y=\"{y + (series.Count * barHeight / 2) + 4}\" text-anchor=\"end\">{Escape(category)}</text>\n");
            for (var s = 0; s < series.Count; s++, y += barHeight)
            {
                if (values[s] is not { } value)
                {
                    continue;
                }

                var length = Math.Max(1, value / max * (width - labelWidth - 110));
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelWidth}\" y=\"{y}\" width=\"{length:0.#}\" height=\"{barHeight - 2}\" fill=\"{Colors[s % Colors.Length]}\"/>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelWidth + length + 4:0.#}\" y=\"{y + barHeight - 4}\">{value:0.#} {Escape(unit)}</text>\n");
            }

            y += groupGap;
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
