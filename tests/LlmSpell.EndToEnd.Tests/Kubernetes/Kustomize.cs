using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Kubernetes;

/// <summary>
/// deploy/kubernetes rendered by the real <c>kubectl kustomize</c> and parsed strictly by the KubernetesClient models:
/// an unknown or misspelt field anywhere fails the parse, as the API server would refuse it.
/// </summary>
public static class Kustomize
{
    public const string AptPackage = "kubernetes-client";

    public static string Root => Path.Combine(LlmSpellBinary.RepositoryRoot, "deploy", "kubernetes");

    /// <summary>The layouts the repository ships: the base and each overlay, relative to deploy/kubernetes.</summary>
    public static readonly string[] Layouts = ["base", "overlays/dev", "overlays/prometheus"];

    /// <summary>The custom resources the overlays use, with our own strict models.</summary>
    public static readonly IDictionary<string, Type> CustomTypes = new Dictionary<string, Type>
    {
        ["monitoring.coreos.com/v1/ServiceMonitor"] = typeof(ServiceMonitor),
    };

    private static readonly ConcurrentDictionary<string, Task<Manifests>> Rendered = new(StringComparer.Ordinal);

    /// <summary>
    /// kubectl: $LLMSPELL_KUBECTL, else the first on PATH. Missing, it fails the test (scripts/test.sh installs it;
    /// under CI=true that is the whole point: no silent pass without the renderer).
    /// </summary>
    public static string Kubectl
    {
        get
        {
            if (Environment.GetEnvironmentVariable("LLMSPELL_KUBECTL") is { Length: > 0 } configured)
            {
                if (!File.Exists(configured)) Assert.Fail($"LLMSPELL_KUBECTL={configured} does not exist");
                return configured;
            }
            var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: the Kubernetes manifests cannot be checked without it)" : "";
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = Path.Combine(dir, "kubectl");
                if (File.Exists(candidate)) return candidate;
            }
            Assert.Fail($"`kubectl` is not installed{ci}; install it with `sudo apt-get install -y {AptPackage}` (or run ./scripts/test.sh, which installs it), or point LLMSPELL_KUBECTL at one.");
            return null!;
        }
    }

    /// <summary>The repository's <paramref name="layout"/>, rendered once per test run.</summary>
    public static Task<Manifests> LoadAsync(string layout) => Rendered.GetOrAdd(layout, l => RenderAsync(Path.Combine(Root, l), l));

    /// <summary>Renders the kustomization in <paramref name="directory"/> (any copy of deploy/kubernetes) and parses it.</summary>
    public static async Task<Manifests> RenderAsync(string directory, string name)
    {
        var result = await ProcessRunner.RunAsync(Kubectl, ["kustomize", directory], timeout: TimeSpan.FromSeconds(60));
        Check.ExitCode(0, result);
        Assert.False(string.IsNullOrWhiteSpace(result.Stdout), $"kubectl kustomize {name} rendered nothing\n{result}");
        return new Manifests(name, result.Stdout, Parse(result.Stdout));
    }

    /// <summary>Strict: unknown fields, unknown kinds and wrong types throw.</summary>
    public static IReadOnlyList<object> Parse(string yaml) => KubernetesYaml.LoadAllFromString(yaml, CustomTypes, strict: true);
}

/// <summary>One rendered layout: its YAML and its typed objects.</summary>
public sealed record Manifests(string Name, string Yaml, IReadOnlyList<object> Objects)
{
    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public V1StatefulSet StatefulSet => Assert.Single(All<V1StatefulSet>());

    public V1Container Server => Assert.Single(StatefulSet.Spec.Template.Spec.Containers, c => c.Name == "llmspell");

    public V1Service Service(string name) => Assert.Single(All<V1Service>(), s => s.Metadata.Name == name);

    public V1ConfigMap ConfigMapMountedAs(string volumeName)
    {
        var volume = Assert.Single(StatefulSet.Spec.Template.Spec.Volumes, v => v.Name == volumeName);
        Assert.NotNull(volume.ConfigMap);
        return Assert.Single(All<V1ConfigMap>(), c => c.Metadata.Name == volume.ConfigMap.Name);
    }

    /// <summary>Every workload's pod template: (workload kind/name, labels, pod spec).</summary>
    public IEnumerable<(string Workload, IDictionary<string, string> Labels, V1PodSpec Spec)> PodTemplates =>
        All<V1StatefulSet>().Select(s => ($"StatefulSet/{s.Metadata.Name}", s.Spec.Template.Metadata.Labels, s.Spec.Template.Spec))
            .Concat(All<V1Deployment>().Select(d => ($"Deployment/{d.Metadata.Name}", d.Spec.Template.Metadata.Labels, d.Spec.Template.Spec)));

    public override string ToString() => $"{Name}:\n{Yaml}";
}

/// <summary>monitoring.coreos.com/v1 ServiceMonitor: the fields the prometheus overlay may use (strict, like the rest).</summary>
[KubernetesEntity(Group = "monitoring.coreos.com", ApiVersion = "v1", Kind = "ServiceMonitor", PluralName = "servicemonitors")]
public sealed class ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public ServiceMonitorSpec Spec { get; set; } = new();
}

public sealed class ServiceMonitorSpec
{
    [JsonPropertyName("selector")] public V1LabelSelector Selector { get; set; } = new();
    [JsonPropertyName("namespaceSelector")] public ServiceMonitorNamespaceSelector? NamespaceSelector { get; set; }
    [JsonPropertyName("endpoints")] public List<ServiceMonitorEndpoint> Endpoints { get; set; } = [];
}

public sealed class ServiceMonitorNamespaceSelector
{
    [JsonPropertyName("any")] public bool? Any { get; set; }
    [JsonPropertyName("matchNames")] public List<string>? MatchNames { get; set; }
}

public sealed class ServiceMonitorEndpoint
{
    [JsonPropertyName("port")] public string? Port { get; set; }
    [JsonPropertyName("targetPort")] public IntOrString? TargetPort { get; set; }
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("scheme")] public string? Scheme { get; set; }
    [JsonPropertyName("interval")] public string? Interval { get; set; }
    [JsonPropertyName("scrapeTimeout")] public string? ScrapeTimeout { get; set; }
}
