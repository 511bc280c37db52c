using System.Diagnostics;
using System.Text.Json;

namespace FakeEtcd.Benchmarks.Load;

/// <summary>
/// benchmarks/etcd-load, a Go clientv3 program (etcd 3.4's own client, the one Milvus uses), built
/// offline in GOPATH mode against Debian's golang-etcd-server-dev and run once per measurement. It
/// knows nothing of FakeEtcd, so it measures real etcd and FakeEtcd the same way.
/// </summary>
internal sealed class GoLoadGenerator
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private readonly string _binary;

    private GoLoadGenerator(string binary) => _binary = binary;

    /// <summary>Builds the generator into <paramref name="outputDir"/>; a clear error when Go or etcd's Go source is missing.</summary>
    public static async Task<GoLoadGenerator> BuildAsync(string outputDir)
    {
        var source = Path.Combine(RepositoryRoot(), "benchmarks", "etcd-load");
        const string gopath = "/usr/share/gocode";
        if (!Directory.Exists(Path.Combine(gopath, "src", "go.etcd.io", "etcd", "clientv3")))
        {
            throw new InvalidOperationException($"etcd's Go source is not in {gopath}: apt-get install -y golang-go golang-etcd-server-dev");
        }

        Directory.CreateDirectory(outputDir);
        var binary = Path.GetFullPath(Path.Combine(outputDir, "etcd-load"));
        var build = new ProcessStartInfo("go", ["build", "-o", binary, "."]) { WorkingDirectory = source, RedirectStandardError = true };
        build.Environment["GO111MODULE"] = "off";
        build.Environment["GOPATH"] = gopath;
        using var process = Process.Start(build) ?? throw new InvalidOperationException("could not start go (apt-get install -y golang-go)");
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? new GoLoadGenerator(binary) : throw new InvalidOperationException($"go build of {source} failed:\n{errors}");
    }

    /// <summary>Runs one measurement against <paramref name="url"/> and parses the line it prints.</summary>
    public async Task<T> RunAsync<T>(Uri url, params string[] args)
    {
        var start = new ProcessStartInfo(_binary, ["-endpoint", $"{url.Host}:{url.Port}", .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {_binary}");
        using var bound = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var output = process.StandardOutput.ReadToEndAsync(bound.Token);
        var errors = process.StandardError.ReadToEndAsync(bound.Token);
        await process.WaitForExitAsync(bound.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"etcd-load {string.Join(' ', args)} against {url} exited with {process.ExitCode}:\n{await errors}");
        }

        return JsonSerializer.Deserialize<T>(await output, Json) ?? throw new InvalidOperationException("etcd-load printed no result");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Simulator.sln")))
            {
                return dir.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }
}
