using EtcdProtocol;
using EtcdProtocol.Etcdserverpb;
using Mono.Cecil;

namespace FakeEtcd.Tests.Architecture;

/// <summary>
/// The dependency direction of src/FakeEtcd, read from its compiled IL: the core references no
/// adapter, hosting, command-line or simulation type, and no two folders reference each other
/// (docs/architecture.md draws the map).
/// </summary>
public class DependencyDirectionTests
{
    private static readonly Lazy<IReadOnlyList<(string From, string FromArea, string To, string ToArea)>> References = new(Read);

    [Fact]
    public void Core_references_no_adapter_hosting_command_line_or_simulation_type()
    {
        var backEdges = References.Value
            .Where(r => Areas.Core.Contains(Areas.Top(r.FromArea)) && Areas.Outer.Contains(Areas.Top(r.ToArea)))
            .Select(r => $"{r.FromArea}.{r.From} -> {r.ToArea}.{r.To}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Empty(backEdges);
    }

    [Fact]
    public void No_two_folders_reference_each_other_but_the_simulations_faults_and_history()
    {
        // Faults write history entries and a started fault's entry carries the fault: the one
        // mutual reference kept, inside the simulation kit (docs/architecture.md says why).
        var graph = References.Value
            .Where(r => r.FromArea != r.ToArea)
            .GroupBy(r => r.FromArea, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(r => r.ToArea).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

        var cycles = StronglyConnected(graph)
            .Where(c => c.Count > 1)
            .Select(c => string.Join(" <-> ", c.Order(StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(["Simulation.Faults <-> Simulation.History"], cycles);
    }

    [Fact]
    public void Every_type_of_the_root_namespace_is_placed_in_an_area()
    {
        var unplaced = References.Value
            .SelectMany(r => new[] { r.FromArea, r.ToArea })
            .Where(a => a.StartsWith("unplaced:", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.Empty(unplaced);
    }

    [Fact]
    public void The_reader_sees_signatures_bodies_and_generic_arguments()
    {
        var edges = References.Value.Select(r => $"{r.From} -> {r.To}").ToHashSet(StringComparer.Ordinal);

        Assert.Contains("Applier -> MvccStore", edges); // a field
        Assert.Contains("FakeEtcdServer -> KvService", edges); // only a generic argument (MapGrpcService<KvService>)
        Assert.Contains("Simulator -> IWatchDeliveryGate", edges); // an interface
        Assert.Contains("WatchStreamRunner -> CallAttribution", edges); // only a static call in a body
    }

    [Fact]
    public void Every_response_with_a_header_gets_it_stamped_by_the_interceptor()
    {
        var responses = typeof(FakeEtcdServer).Assembly.GetTypes()
            .Where(t => t.Namespace?.StartsWith("EtcdProtocol.", StringComparison.Ordinal) == true
                && t.GetProperty("Header")?.PropertyType == typeof(ResponseHeader))
            .ToList();

        Assert.True(responses.Count >= 40, responses.Count + " responses with a header");
        Assert.Empty(responses.Where(t => !typeof(IEtcdResponse).IsAssignableFrom(t)).Select(t => t.Name));
    }

    private static IReadOnlyList<(string, string, string, string)> Read()
    {
        var result = new List<(string, string, string, string)>();
        foreach (var (from, to) in TypeReferences.Of(typeof(FakeEtcdServer).Assembly.Location))
        {
            if (Areas.Of(from.Namespace, from.Name) is { } fromArea && Areas.Of(to.Namespace, to.Name) is { } toArea)
            {
                result.Add((Name(from), fromArea, Name(to), toArea));
            }
        }

        return result;
    }

    private static string Name(TypeDefinition type) => type.Name.Split('`')[0];

    /// <summary>Tarjan's strongly connected components of the folder graph.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> graph)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string member;
                do
                {
                    member = stack.Pop();
                    onStack.Remove(member);
                    component.Add(member);
                }
                while (member != node);
                components.Add(component);
            }
        }

        foreach (var node in graph.Keys.Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(node))
            {
                Visit(node);
            }
        }

        return components;
    }
}
