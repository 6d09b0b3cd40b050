using System.Text.RegularExpressions;
using k8s.Models;

namespace LlmSpell.EndToEnd.Tests.Kubernetes;

/// <summary>
/// The llmspell pod of a rendered layout, laid out on this machine: each volume mount is a directory under a temp
/// root (the ConfigMap's files and the Secret's items written into theirs), and the container's environment is
/// what the kubelet would give it (downward API values for a pod name and namespace, Secret values made up here,
/// $(VAR) references expanded), with every mount path in it and in kernel.toml moved under the root.
/// </summary>
public sealed partial class PodSandbox : IDisposable
{
    public const string PodName = "llmspell-0";
    public const string Namespace = "default";

    /// <summary>Made-up values for the Secret's keys (the real Secret is never in the repository).</summary>
    public static readonly IReadOnlyDictionary<string, string> SecretValues = new Dictionary<string, string>
    {
        ["hmac_key"] = "k8s-test-hmac-" + Guid.NewGuid().ToString("N"),
        ["database_dsn"] = "Host=llmspell-postgres;Port=5432;Database=llmspell;Username=llmspell;Password=k8s-test-only",
        ["openai_api_key"] = "sk-k8s-test-only",
    };

    private readonly TempDir _dir = new();
    private readonly Regex _mountPaths;

    public PodSandbox(Manifests manifests)
    {
        var pod = manifests.StatefulSet.Spec.Template.Spec;
        var container = manifests.Server;
        Mounts = (container.VolumeMounts ?? []).ToDictionary(v => v.MountPath, v => _dir.Path + v.MountPath, StringComparer.Ordinal);
        // Longest first, whole path segments only, in one pass (so a moved path is never moved again).
        _mountPaths = new Regex("(?<![\\w./-])(" + string.Join("|", Mounts.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape)) + ")(?=$|[/\"',\\s])",
            RegexOptions.Multiline);
        foreach (var mount in container.VolumeMounts ?? [])
        {
            var dir = Mounts[mount.MountPath];
            Directory.CreateDirectory(dir);
            var volume = pod.Volumes.Single(v => v.Name == mount.Name);
            if (volume.ConfigMap is { } configMapVolume)
            {
                var configMap = manifests.All<V1ConfigMap>().Single(c => c.Metadata.Name == configMapVolume.Name);
                foreach (var (name, content) in configMap.Data)
                    File.WriteAllText(Path.Combine(dir, name), name.EndsWith(".toml", StringComparison.Ordinal) ? Move(content) : content);
            }
            if (volume.Secret is { } secretVolume)
                foreach (var item in secretVolume.Items ?? [])
                    File.WriteAllText(Path.Combine(dir, item.Path), SecretValues[item.Key] + "\n");
        }
        Environment = PodEnvironment(container);
        ConfigFile = Environment["LLMSPELL_CONFIG"] ?? throw new InvalidOperationException("the pod sets no LLMSPELL_CONFIG");
    }

    public string Root => _dir.Path;

    /// <summary>Mount path in the container → its directory here.</summary>
    public IReadOnlyDictionary<string, string> Mounts { get; }

    /// <summary>The container's environment, as the kubelet would set it, with mount paths moved.</summary>
    public Dictionary<string, string?> Environment { get; }

    /// <summary>kernel.toml from the ConfigMap, here.</summary>
    public string ConfigFile { get; }

    /// <summary>A path or text with the container's mount paths replaced by their directories here.</summary>
    public string Move(string text) => _mountPaths.Replace(text, m => Mounts[m.Value]);

    private Dictionary<string, string?> PodEnvironment(V1Container container)
    {
        // Expanded as the kubelet does (container paths), then moved once.
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var variable in container.Env ?? [])
        {
            string? value;
            if (variable.ValueFrom?.FieldRef is { } field)
                value = field.FieldPath switch
                {
                    "metadata.name" => PodName,
                    "metadata.namespace" => Namespace,
                    var other => throw new InvalidOperationException($"env {variable.Name}: fieldRef {other} is not simulated here"),
                };
            else if (variable.ValueFrom?.SecretKeyRef is { } secret)
                value = SecretValues.TryGetValue(secret.Key, out var made) ? made : throw new InvalidOperationException($"env {variable.Name}: unknown secret key {secret.Key}");
            else if (variable.ValueFrom is not null)
                throw new InvalidOperationException($"env {variable.Name}: valueFrom other than fieldRef and secretKeyRef is not simulated here");
            else
                value = Expand(variable.Value ?? "", env);
            env[variable.Name] = value;
        }
        return env.ToDictionary(kv => kv.Key, kv => kv.Value is null ? null : Move(kv.Value), StringComparer.Ordinal);
    }

    [GeneratedRegex(@"\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex Reference();

    /// <summary>Kubernetes' dependent environment variables: $(NAME) of a variable defined earlier is replaced, $$ is a $, anything else stays.</summary>
    public static string Expand(string value, IReadOnlyDictionary<string, string?> earlier) =>
        Reference().Replace(value, m => m.Value == "$$" ? "$" : earlier.TryGetValue(m.Groups[1].Value, out var v) && v is not null ? v : m.Value);

    public void Dispose() => _dir.Dispose();
}
