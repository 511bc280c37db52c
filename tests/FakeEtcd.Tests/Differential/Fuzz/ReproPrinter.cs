using System.Text;

namespace FakeEtcd.Tests.Differential.Fuzz;

/// <summary>Prints a fuzz divergence as a ready-to-paste xunit test that replays the steps on a fresh pair.</summary>
public static class ReproPrinter
{
    public static string Print(string name, IReadOnlyList<FuzzOp> ops, FuzzDivergence divergence)
    {
        var sb = new StringBuilder();
        sb.Append("    /// <summary>Found by the differential fuzzer (").Append(name).Append("); diverged at step ")
            .Append(divergence.Step).Append(".</summary>\n");
        sb.Append("    [Fact]\n");
        sb.Append("    public async Task ").Append(name).Append("()\n    {\n");
        sb.Append("        FuzzOp[] ops =\n        [\n");
        foreach (var op in ops)
        {
            sb.Append("            // ").Append(op.ToString().Replace("\n", " ", StringComparison.Ordinal)).Append('\n');
            sb.Append("            FuzzOp.FromJson(FuzzOpKind.").Append(op.Kind).Append(", \"\"\"").Append(op.ToJson()).Append("\"\"\"),\n");
        }

        sb.Append("        ];\n");
        sb.Append("        await FuzzRunner.AssertSameAsync(ops);\n    }\n");
        return sb.ToString();
    }
}
