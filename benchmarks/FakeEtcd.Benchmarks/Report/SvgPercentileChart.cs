using System.Globalization;
using System.Net;
using System.Text;

namespace FakeEtcd.Benchmarks.Report;

/// <summary>
/// A latency percentile distribution as SVG, HdrHistogram style: the x axis spreads the tail
/// (position = log10(1 / (1 - percentile)), so 90%, 99%, 99.9% are equally spaced), the y axis is
/// logarithmic in milliseconds. One line per series.
/// </summary>
internal static class SvgPercentileChart
{
    private static readonly double[] XTicks = [0, 50, 90, 99, 99.9];
    private static readonly double[] YTicks = [0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

    public static string Render(string title, IReadOnlyList<(string Name, string Color, bool Dashed, IReadOnlyList<(double Percentile, double Ms)> Points)> series)
    {
        const int width = 760, height = 420, left = 70, right = 180, top = 40, bottom = 50;
        var plotWidth = width - left - right;
        var plotHeight = height - top - bottom;
        var values = series.SelectMany(s => s.Points).Select(p => p.Ms).Where(v => v > 0).DefaultIfEmpty(1).ToArray();
        var (yMin, yMax) = (Math.Log10(values.Min() / 1.5), Math.Log10(values.Max() * 1.5));
        var xMax = XPosition(99.9);
        double X(double percentile) => left + (Math.Min(XPosition(percentile), xMax) / xMax * plotWidth);
        double Y(double ms) => top + plotHeight - ((Math.Log10(ms) - yMin) / (yMax - yMin) * plotHeight);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"11\">\n");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"10\" y=\"20\" font-size=\"14\" font-weight=\"bold\">{Escape(title)}</text>\n");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{left}\" y=\"{top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#999\"/>\n");
        foreach (var tick in XTicks)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{X(tick):0.#}\" y1=\"{top}\" x2=\"{X(tick):0.#}\" y2=\"{top + plotHeight}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(tick):0.#}\" y=\"{top + plotHeight + 16}\" text-anchor=\"middle\">{tick}%</text>\n");
        }

        foreach (var tick in YTicks.Where(t => Math.Log10(t) >= yMin && Math.Log10(t) <= yMax))
        {
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{Y(tick):0.#}\" x2=\"{left + plotWidth}\" y2=\"{Y(tick):0.#}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{Y(tick) + 4:0.#}\" text-anchor=\"end\">{tick} ms</text>\n");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + (plotWidth / 2)}\" y=\"{height - 12}\" text-anchor=\"middle\">percentile (tail spread out)</text>\n");
        for (var s = 0; s < series.Count; s++)
        {
            var (name, color, dashed, points) = series[s];
            var path = string.Join(' ', points.Where(p => p.Ms > 0 && p.Percentile <= 99.9).Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.Percentile):0.#},{Y(p.Ms):0.#}")));
            var dash = dashed ? " stroke-dasharray=\"6,3\"" : string.Empty;
            svg.Append(CultureInfo.InvariantCulture, $"<polyline points=\"{path}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>\n");
            var legendY = top + 10 + (s * 18);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left + plotWidth + 12}\" y1=\"{legendY}\" x2=\"{left + plotWidth + 36}\" y2=\"{legendY}\" stroke=\"{color}\" stroke-width=\"2\"{dash}/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left + plotWidth + 40}\" y=\"{legendY + 4}\">{Escape(name)}</text>\n");
        }

        return svg.Append("</svg>\n").ToString();
    }

    private static double XPosition(double percentile) => Math.Log10(1 / (1 - (Math.Min(percentile, 99.99) / 100)));

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
