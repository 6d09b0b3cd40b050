using System.Net.Http.Headers;
using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Security;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Cluster;

/// <summary>Three real llmspell instances on loopback in cluster mode (static peers, one shared secret).</summary>
internal sealed class LoopbackCluster : IAsyncDisposable
{
    public const string Token = "cluster-e2e-secret-0123456789abcdef";
    private readonly List<TempDir> _dirs = [];

    public Dictionary<string, ServiceProcess> Instances { get; } = new(StringComparer.Ordinal);
    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(20) };

    public static Task<LoopbackCluster> StartAsync(string extraToml = "", params string[] names) => StartAsync(_ => extraToml, null, names);

    /// <param name="extraToml">More configuration for each instance, by name (e.g. a smaller max_kernels for one).</param>
    /// <param name="environment">Variables every instance gets (e.g. the database's connection string).</param>
    public static async Task<LoopbackCluster> StartAsync(Func<string, string> extraToml, IReadOnlyDictionary<string, string?>? environment,
        params string[] names)
    {
        names = names.Length > 0 ? names : ["a", "b", "c"];
        var cluster = new LoopbackCluster();
        cluster.Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", Token);
        var ports = names.ToDictionary(n => n, _ => Ports.FreeBlock());
        var peers = string.Join(", ", ports.Values.Select(p => $"\"http://127.0.0.1:{p}\""));
        await Task.WhenAll(names.Select(async name =>
        {
            var dir = new TempDir();
            lock (cluster._dirs) cluster._dirs.Add(dir);
            var toml = $"""
                [security]
                hmac_key = "{Token}"
                [cluster]
                enabled = true
                instance_id = "{name}"
                peers = [{peers}]
                drain_timeout = 20
                {extraToml(name)}
                """;
            var service = await ServiceProcess.StartAsync(["--port", ports[name].ToString(System.Globalization.CultureInfo.InvariantCulture)],
                configToml: toml, dir: dir,
                environment: new Dictionary<string, string?>(SecuredService.EnvironmentFor(dir).Concat(environment ?? new Dictionary<string, string?>())));
            lock (cluster.Instances) cluster.Instances[name] = service;
        }));
        // Every instance has seen every other one up (they poll each other every second).
        foreach (var name in names)
            await Wait.UntilAsync(async () => (await cluster.ClusterAsync(name)).GetProperty("peers").EnumerateArray()
                    .Count(p => p.GetProperty("up").GetBoolean()) == names.Length - 1,
                TimeSpan.FromSeconds(30), $"instance {name} to see its {names.Length - 1} peers up", () => cluster.Describe());
        return cluster;
    }

    public Uri Url(string name) => Instances[name].BaseUrl;

    public async Task<JsonElement> ClusterAsync(string name) =>
        JsonDocument.Parse(await Http.GetStringAsync(new Uri(Url(name), "/api/cluster"))).RootElement.Clone();

    public async Task<List<JsonElement>> KernelsAsync(string name) =>
        JsonDocument.Parse(await Http.GetStringAsync(new Uri(Url(name), "/api/kernels"))).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();

    /// <summary>The id of an instance's default kernel.</summary>
    public async Task<string> DefaultKernelAsync(string name) =>
        (await KernelsAsync(name)).Single(k => k.GetProperty("instance").GetString() == name && k.GetProperty("default").GetBoolean()).GetProperty("id").GetString()!;

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string name, string path) =>
        await Http.SendAsync(new HttpRequestMessage(method, new Uri(Url(name), path)));

    public string Describe() => string.Join("\n\n", Instances.Select(i => $"== {i.Key}\n{i.Value.Describe()}"));

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(Instances.Values.Select(async s => await s.DisposeAsync()));
        foreach (var dir in _dirs) dir.Dispose();
        Http.Dispose();
    }
}
