using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using k8s.Models;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Kubernetes;

/// <summary>
/// deploy/kubernetes: the base and the dev and prometheus overlays, rendered with kubectl kustomize, parsed strictly,
/// linted (selectors, probes, ports, security context, grace period, secrets), and tied to the real binary (its
/// kernel.toml passes --dry-run with the pod's environment; the probe paths answer) and to the Dockerfile.
/// </summary>
public partial class KubernetesManifestTests
{
    public static TheoryData<string> Layouts => new(Kustomize.Layouts);

    private static readonly Dictionary<string, string[]> ExpectedKinds = new()
    {
        ["base"] = ["ConfigMap", "NetworkPolicy", "PodDisruptionBudget", "Service", "Service", "StatefulSet"],
        ["overlays/dev"] = ["ConfigMap", "Deployment", "NetworkPolicy", "NetworkPolicy", "PodDisruptionBudget", "Secret", "Service", "Service", "Service", "StatefulSet"],
        ["overlays/prometheus"] = ["ConfigMap", "NetworkPolicy", "PodDisruptionBudget", "Service", "Service", "ServiceMonitor", "StatefulSet"],
    };

    private static void NoProblems(List<string> problems, Manifests m) =>
        Assert.True(problems.Count == 0, $"{m.Name}:\n  {string.Join("\n  ", problems)}");

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Each_layout_renders_and_every_object_parses_strictly(string layout)
    {
        var m = await Kustomize.LoadAsync(layout);
        var kinds = m.Objects.Select(o => ((k8s.IKubernetesObject)o).Kind).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(ExpectedKinds[layout], kinds);
        foreach (var o in m.Objects.Cast<k8s.IKubernetesObject<V1ObjectMeta>>())
            Assert.False(string.IsNullOrEmpty(o.Metadata?.Name), $"a {o.Kind} without a name in {layout}");
    }

    [Fact]
    public async Task The_strict_parse_refuses_a_misspelt_field_and_an_unknown_kind()
    {
        var m = await Kustomize.LoadAsync("overlays/prometheus");
        foreach (var (field, misspelt) in new[] { ("podManagementPolicy:", "podManagementPolicyy:"), ("publishNotReadyAddresses:", "publishNotReadyAdresses:"), ("scrapeTimeout:", "scrapeTimout:") })
        {
            Assert.Contains(field, m.Yaml);
            var broken = m.Yaml.Replace(field, misspelt, StringComparison.Ordinal);
            var e = Assert.ThrowsAny<Exception>(() => Kustomize.Parse(broken));
            Assert.Contains(misspelt.TrimEnd(':'), e.Message);
        }
        Assert.ThrowsAny<Exception>(() => Kustomize.Parse("apiVersion: example.com/v1\nkind: Unheard\nmetadata:\n  name: x\n"));
    }

    [Fact]
    public async Task The_statefulset_is_a_three_pod_parallel_cluster_whose_pods_name_themselves_from_the_downward_api()
    {
        var m = await Kustomize.LoadAsync("base");
        var sts = m.StatefulSet;
        Assert.Equal(3, sts.Spec.Replicas);
        Assert.Equal("Parallel", sts.Spec.PodManagementPolicy);
        var headless = m.Service(sts.Spec.ServiceName);
        Assert.Equal("None", headless.Spec.ClusterIP);
        Assert.True(headless.Spec.PublishNotReadyAddresses);
        var client = Assert.Single(m.All<V1Service>(), s => s.Spec.ClusterIP != "None");
        Assert.Equal(ManifestChecks.HttpPort, Assert.Single(client.Spec.Ports).Port);
        Assert.Equal("1", Assert.Single(m.All<V1PodDisruptionBudget>()).Spec.MaxUnavailable.Value);
        Assert.False(sts.Spec.Template.Spec.EnableServiceLinks, "service links would put LLMSPELL_PORT=tcp://... into the service's configuration namespace");

        var env = (m.Server.Env ?? []).ToList();
        int Index(string name) => env.FindIndex(e => e.Name == name);
        Assert.Equal("metadata.name", env[Index("LLMSPELL_CLUSTER__INSTANCE_ID")].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.name", env[Index("POD_NAME")].ValueFrom.FieldRef.FieldPath);
        Assert.Equal("metadata.namespace", env[Index("POD_NAMESPACE")].ValueFrom.FieldRef.FieldPath);
        Assert.Equal($"http://$(POD_NAME).{headless.Metadata.Name}.$(POD_NAMESPACE).svc.cluster.local:{ManifestChecks.HttpPort}", env[Index("LLMSPELL_CLUSTER__ADVERTISE_URL")].Value);
        Assert.Equal($"{headless.Metadata.Name}.$(POD_NAMESPACE).svc.cluster.local", env[Index("LLMSPELL_CLUSTER__PEERS_DNS")].Value);
        // Dependent variables expand only from variables defined before them.
        foreach (var name in new[] { "LLMSPELL_CLUSTER__ADVERTISE_URL", "LLMSPELL_CLUSTER__PEERS_DNS", "LLMSPELL_SECURITY__ALLOWED_ORIGINS" })
        {
            Assert.True(Index(name) > Index("POD_NAME") && Index(name) > Index("POD_NAMESPACE"), $"{name} uses $(POD_NAME)/$(POD_NAMESPACE) but comes before them");
        }
        using var pod = new PodSandbox(m);
        Assert.Equal($"http://{PodSandbox.PodName}.{headless.Metadata.Name}.{PodSandbox.Namespace}.svc.cluster.local:{ManifestChecks.HttpPort}", pod.Environment["LLMSPELL_CLUSTER__ADVERTISE_URL"]);
        Assert.DoesNotContain(pod.Environment.Values, v => v is not null && v.Contains("$(", StringComparison.Ordinal));
        // The names clients and peers put in the Host header pass the DNS-rebinding check.
        var origins = pod.Environment["LLMSPELL_SECURITY__ALLOWED_ORIGINS"]!.Split(',');
        Assert.Contains($"{client.Metadata.Name}.{PodSandbox.Namespace}.svc.cluster.local", origins);
        Assert.Contains(client.Metadata.Name, origins);
        Assert.Contains(new Uri(pod.Environment["LLMSPELL_CLUSTER__ADVERTISE_URL"]!).Host, origins);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Selectors_select_exactly_the_pods_they_are_for(string layout)
    {
        var m = await Kustomize.LoadAsync(layout);
        NoProblems(ManifestChecks.Selectors(m), m);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Probes_use_declared_ports_and_the_only_port_is_the_http_one(string layout)
    {
        var m = await Kustomize.LoadAsync(layout);
        NoProblems(ManifestChecks.ProbesAndPorts(m), m);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Pods_are_hardened_and_write_only_to_their_emptydirs(string layout)
    {
        var m = await Kustomize.LoadAsync(layout);
        NoProblems(ManifestChecks.Security(m), m);
    }

    [Theory]
    [MemberData(nameof(Layouts))]
    public async Task Secrets_are_only_referenced(string layout)
    {
        var m = await Kustomize.LoadAsync(layout);
        NoProblems(ManifestChecks.Secrets(m, allowDevSecrets: layout == "overlays/dev"), m);
        if (layout != "overlays/dev") Assert.Empty(m.All<V1Secret>());
    }

    [Fact]
    public async Task The_dockerfile_user_is_the_pods_user()
    {
        var dockerfile = await File.ReadAllTextAsync(Path.Combine(LlmSpellBinary.RepositoryRoot, "Dockerfile"));
        var useradd = UseraddLine().Match(dockerfile);
        Assert.True(useradd.Success, "the Dockerfile has no `useradd ... --uid N ... llmspell`");
        var groupadd = GroupaddLine().Match(dockerfile);
        Assert.True(groupadd.Success, "the Dockerfile has no `groupadd ... --gid N llmspell`");
        var user = UserInstruction().Matches(dockerfile).Last().Groups;
        var uid = long.Parse(useradd.Groups["uid"].Value, CultureInfo.InvariantCulture);
        var gid = long.Parse(groupadd.Groups["gid"].Value, CultureInfo.InvariantCulture);
        Assert.Equal($"{uid}:{gid}", $"{user["user"].Value}:{user["group"].Value}");

        var pod = (await Kustomize.LoadAsync("base")).StatefulSet.Spec.Template.Spec.SecurityContext;
        Assert.Equal(uid, pod.RunAsUser);
        Assert.Equal(gid, pod.RunAsGroup);
        Assert.Equal(gid, pod.FsGroup);
        Assert.Equal(ManifestChecks.ImageUid, uid);
    }

    [GeneratedRegex(@"useradd\b[^\n]*--uid (?<uid>\d+)[^\n]* llmspell\b")]
    private static partial Regex UseraddLine();

    [GeneratedRegex(@"groupadd\b[^\n]*--gid (?<gid>\d+)[^\n]* llmspell\b")]
    private static partial Regex GroupaddLine();

    [GeneratedRegex(@"^USER (?<user>\d+):(?<group>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex UserInstruction();

    [Fact]
    public async Task Images_come_from_the_kustomize_images_setting()
    {
        foreach (var layout in Kustomize.Layouts)
        {
            var m = await Kustomize.LoadAsync(layout);
            Assert.Equal("ghcr.io/llmspell/llmspell:0.9.0", m.Server.Image);
            foreach (var (workload, _, spec) in m.PodTemplates)
                foreach (var c in spec.Containers)
                    Assert.True(c.Image.Contains(':', StringComparison.Ordinal) && !c.Image.EndsWith(":latest", StringComparison.Ordinal),
                        $"{layout} {workload} container {c.Name}: image {c.Image} has no pinned tag");
        }
        var source = await File.ReadAllTextAsync(Path.Combine(Kustomize.Root, "base", "statefulset.yaml"));
        Assert.Contains("image: ghcr.io/llmspell/llmspell\n", source.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task The_servicemonitor_scrapes_metrics_on_the_client_port()
    {
        var m = await Kustomize.LoadAsync("overlays/prometheus");
        var monitor = Assert.Single(m.All<ServiceMonitor>());
        var endpoint = Assert.Single(monitor.Spec.Endpoints);
        Assert.Equal("/metrics", endpoint.Path);
        var client = m.Service("llmspell");
        Assert.True(monitor.Spec.Selector.MatchLabels.All(kv => client.Metadata.Labels.TryGetValue(kv.Key, out var v) && v == kv.Value),
            "the ServiceMonitor does not select the client Service");
        var port = Assert.Single(client.Spec.Ports, p => p.Name == endpoint.Port);
        Assert.Equal(ManifestChecks.HttpPort, port.Port);
    }

    /// <summary>`llmspell kernel start --dry-run` with the pod's kernel.toml, environment, mounts and working directory.</summary>
    private static async Task<ProcessResult> DryRunAsync(PodSandbox pod)
    {
        var environment = new Dictionary<string, string?>(pod.Environment)
        {
            ["HOME"] = pod.Mounts["/var/lib/llmspell"],
            ["TMPDIR"] = pod.Mounts["/tmp"],
        };
        // The one thing that is not the pod's: 9555-9560 may be taken on this machine (the file's port is checked apart).
        return await Cli.RunAsync(["kernel", "start", "--dry-run", "--config", pod.ConfigFile, "--port", Ports.FreeBlock().ToString(CultureInfo.InvariantCulture)],
            workingDirectory: pod.Mounts["/var/lib/llmspell"], environment: environment);
    }

    /// <summary>A key's printed value in a section of the --dry-run output (the effective configuration).</summary>
    private static string Effective(ProcessResult dryRun, string section, string key)
    {
        var block = Regex.Match(dryRun.Stdout, $@"^\[{Regex.Escape(section)}\]\n(.*?)(?=^\[|\z)", RegexOptions.Multiline | RegexOptions.Singleline);
        Assert.True(block.Success, $"no [{section}] in the --dry-run output\n{dryRun}");
        var line = Regex.Match(block.Groups[1].Value, $@"^{Regex.Escape(key)} = (.*?)\s*(#.*)?$", RegexOptions.Multiline);
        Assert.True(line.Success, $"no {section}.{key} in the --dry-run output\n{dryRun}");
        return line.Groups[1].Value;
    }

    [Fact]
    public async Task The_configmap_kernel_toml_passes_dry_run_with_the_pods_environment()
    {
        var m = await Kustomize.LoadAsync("base");
        using var pod = new PodSandbox(m);
        var toml = m.ConfigMapMountedAs("config").Data["kernel.toml"];
        Assert.Equal(pod.ConfigFile, Path.Combine(pod.Mounts["/etc/llmspell/config"], "kernel.toml"));

        var result = await DryRunAsync(pod);
        Check.ExitCode(0, result);
        Check.Contains("Configuration OK", result.Stdout, result);
        // Only the providers the pod has no key for may be warned about (the Secret's openai_api_key is optional).
        foreach (var line in result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            Assert.True(line.StartsWith("llmspell: warning: provider '", StringComparison.Ordinal), $"--dry-run warned about the pod's configuration: {line}\n{result}");
        Check.DoesNotContain(PodSandbox.SecretValues["hmac_key"], result.Output, result);

        Assert.Equal("true", Effective(result, "cluster", "enabled"));
        Assert.Equal($"\"{PodSandbox.PodName}\"", Effective(result, "cluster", "instance_id"));
        Assert.Equal($"\"http://{PodSandbox.PodName}.llmspell-peers.{PodSandbox.Namespace}.svc.cluster.local:{ManifestChecks.HttpPort}\"", Effective(result, "cluster", "advertise_url"));
        Assert.Equal($"\"llmspell-peers.{PodSandbox.Namespace}.svc.cluster.local\"", Effective(result, "cluster", "peers_dns"));
        Assert.Equal("\"0.0.0.0\"", Effective(result, "kernel", "ip"));
        Assert.Equal("\"json\"", Effective(result, "logging", "format"));
        Assert.Equal($"\"{pod.Move("/etc/llmspell/secrets/hmac_key")}\"", Effective(result, "security", "hmac_key_file"));
        Assert.Equal("\"postgres\"", Effective(result, "state", "backend"));
        // The connection string comes from the Secret through the variable the pod sets; --dry-run says where it points.
        var dsnVariable = Effective(result, "state", "connection_string_env").Trim('"');
        Assert.Equal(PodSandbox.SecretValues["database_dsn"], pod.Environment[dsnVariable]);
        Check.Contains("llmspell-postgres:5432", result.Stdout, result);
        Check.DoesNotContain("MISSING OR INVALID", result.Stdout, result);
        Check.DoesNotContain("k8s-test-only", result.Output, result);
        // The file's own port is the container's (the run above had to move it off 9555).
        Assert.Matches(new Regex(@"^\[kernel\][^\[]*^port = 9555\b", RegexOptions.Multiline), toml);
        Assert.Equal(ManifestChecks.HttpPort, Assert.Single(m.Server.Ports).ContainerPort);
    }

    [Fact]
    public async Task Termination_grace_covers_the_prestop_sleep_and_the_configured_drain_timeout()
    {
        var m = await Kustomize.LoadAsync("base");
        using var pod = new PodSandbox(m);
        var result = await DryRunAsync(pod);
        Check.ExitCode(0, result);
        var drain = int.Parse(Effective(result, "cluster", "drain_timeout"), CultureInfo.InvariantCulture);
        Assert.True(drain > 0, "cluster.drain_timeout is 0: running cells would not get to finish");
        NoProblems(ManifestChecks.Grace(m, drain), m);
    }

    /// <summary>For the services started here: the ConfigMap's postgres backend, pointed at loopback (never connected: no State call).</summary>
    private const string LoopbackDsn = "Host=127.0.0.1;Port=9;Database=llmspell;Username=llmspell;Password=k8s-test-only";

    [Fact]
    public async Task The_probe_paths_answer_on_the_real_binary_started_with_the_configmap()
    {
        var m = await Kustomize.LoadAsync("overlays/prometheus");
        using var pod = new PodSandbox(m);
        var port = Ports.FreeBlock();
        var self = $"http://127.0.0.1:{port}";
        var environment = new Dictionary<string, string?>(pod.Environment)
        {
            ["HOME"] = pod.Mounts["/var/lib/llmspell"],
            ["TMPDIR"] = pod.Mounts["/tmp"],
            // Loopback only here: bind 127.0.0.1, be a cluster of one (no DNS lookup of the pod's names), and a database
            // address on loopback (State is the ConfigMap's postgres; nothing connects before a State call).
            ["LLMSPELL_KERNEL__IP"] = "127.0.0.1",
            ["LLMSPELL_CLUSTER__ADVERTISE_URL"] = self,
            ["LLMSPELL_CLUSTER__PEERS"] = self,
            ["DATABASE_DSN"] = LoopbackDsn,
        };
        environment.Remove("LLMSPELL_CLUSTER__PEERS_DNS");
        var toml = await File.ReadAllTextAsync(pod.ConfigFile);
        var dataDir = new TempDir();
        await using var service = await ServiceProcess.StartAsync(
            ["--port", port.ToString(CultureInfo.InvariantCulture), "--connection-file", pod.Move("/var/lib/llmspell/kernel.json")],
            configToml: toml, dir: dataDir, environment: environment, ownsDir: true);

        var probes = ManifestChecks.Probes(m.Server).ToList();
        Assert.Equal(3, probes.Count);
        foreach (var (kind, probe) in probes)
        {
            Assert.Equal("http", probe.HttpGet.Port.Value);
            using var response = await service.GetAsync(probe.HttpGet.Path);
            var allowed = kind == "readiness" ? new[] { HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable } : [HttpStatusCode.OK];
            Assert.True(allowed.Contains(response.StatusCode), $"the {kind} probe's GET {probe.HttpGet.Path} answered {(int)response.StatusCode}\n{service.Describe()}");
        }
        // The ServiceMonitor's path, without a token (metrics_require_token is off in the ConfigMap).
        var monitor = Assert.Single(m.All<ServiceMonitor>()).Spec.Endpoints[0];
        using var metrics = await service.GetAsync(monitor.Path!);
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Check.Contains("llmspell_", await metrics.Content.ReadAsStringAsync(), service.Describe());
        // Its log is JSON on stdout, as the ConfigMap asks, with no error in it.
        Assert.StartsWith("{\"@t\":", service.Stdout, StringComparison.Ordinal);
        Check.DoesNotContain("\"@l\":\"Error\"", service.Stdout, service.Describe());
        Check.DoesNotContain("\"@l\":\"Fatal\"", service.Stdout, service.Describe());
    }

    /// <summary>
    /// The pod's confinement, reproduced with a private mount namespace: every mount read-only, a fresh tmpfs at each
    /// of the pod's emptyDir mounts only, and the service run as the pod's runAsUser/runAsGroup. It starts, answers its
    /// probes, starts a kernel (connection file, token, registry) and stops cleanly: it needs no other writable place.
    /// </summary>
    [Fact]
    public async Task The_service_runs_as_the_pods_user_on_a_read_only_root_writing_only_to_its_emptydirs()
    {
        var m = await Kustomize.LoadAsync("base");
        using var pod = new PodSandbox(m);
        var spec = m.StatefulSet.Spec.Template.Spec;
        var emptyDirs = (m.Server.VolumeMounts ?? []).Where(v => spec.Volumes.Single(x => x.Name == v.Name).EmptyDir is not null)
            .Select(v => pod.Mounts[v.MountPath]).ToList();
        Assert.Equal(ManifestChecks.WritablePaths.Length, emptyDirs.Count);
        var uid = spec.SecurityContext.RunAsUser!.Value.ToString(CultureInfo.InvariantCulture);
        var gid = spec.SecurityContext.RunAsGroup!.Value.ToString(CultureInfo.InvariantCulture);
        var unshare = RequiredTool.Find("unshare", "util-linux");
        RequiredTool.Find("setpriv", "util-linux");
        // Run by unshare -m as root: remount everything read-only (not /proc, /sys, /dev: the kubelet gives a pod its own),
        // prove it, mount the emptyDirs, then exec the service as the pod's user (same pid, so signals reach it).
        var script = pod.Root + "/confine.sh";
        await File.WriteAllTextAsync(script, $$"""
            set -eu
            awk '{print $2}' /proc/self/mounts | sort -u | while read -r mp; do
              case "$mp" in /proc|/proc/*|/sys|/sys/*|/dev|/dev/*) ;; *) mount -o remount,bind,ro "$mp" 2>/dev/null || true ;; esac
            done
            if touch {{pod.Root}}/rw-probe 2>/dev/null || touch /tmp/llmspell-rw-probe 2>/dev/null; then echo "confine.sh: the root file system is still writable" >&2; exit 90; fi
            for dir in {{string.Join(' ', emptyDirs)}}; do mount -t tmpfs -o size=64m,mode=0770,uid={{uid}},gid={{gid}} tmpfs "$dir"; done
            cd {{pod.Mounts["/var/lib/llmspell"]}}
            exec setpriv --reuid {{uid}} --regid {{gid}} --clear-groups --inh-caps=-all "$@"
            """.Replace("\r", ""));
        var port = Ports.FreeBlock();
        var self = $"http://127.0.0.1:{port}";
        var environment = new Dictionary<string, string?>(pod.Environment)
        {
            ["HOME"] = pod.Mounts["/var/lib/llmspell"], // the image's home for its user
            ["TMPDIR"] = pod.Mounts["/tmp"],
            ["LLMSPELL_KERNEL__IP"] = "127.0.0.1",
            ["LLMSPELL_CLUSTER__ADVERTISE_URL"] = self,
            ["LLMSPELL_CLUSTER__PEERS"] = self,
            ["DATABASE_DSN"] = LoopbackDsn,
        };
        environment.Remove("LLMSPELL_CLUSTER__PEERS_DNS");
        var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("kernel.toml"), "");
        ServiceProcess service;
        try
        {
            service = await ServiceProcess.StartAsync(
                ["--port", port.ToString(CultureInfo.InvariantCulture), "--config", pod.ConfigFile, "--connection-file", pod.Move("/var/lib/llmspell/kernel.json")],
                dir: dir, ownsDir: true, environment: environment, launcher: [unshare, "-m", "--propagation", "private", "bash", script]);
        }
        catch (Exception e) when (e.Message.Contains("confine.sh", StringComparison.Ordinal) || e.Message.Contains("unshare:", StringComparison.Ordinal))
        {
            Assert.Fail($"could not confine the service (this test needs root for unshare -m and mount):\n{e.Message}");
            throw;
        }
        await using (service)
        {
            foreach (var (kind, probe) in ManifestChecks.Probes(m.Server))
            {
                using var response = await service.GetAsync(probe.HttpGet.Path);
                Assert.True(response.StatusCode == HttpStatusCode.OK || (kind == "readiness" && response.StatusCode == HttpStatusCode.ServiceUnavailable),
                    $"the {kind} probe's GET {probe.HttpGet.Path} answered {(int)response.StatusCode}\n{service.Describe()}");
            }
            var token = PodSandbox.SecretValues["hmac_key"];
            Check.ExitCode(0, await Curl.RunAsync("-f", "-o", "/dev/null", "-X", "POST", "-H", $"Authorization: token {token}", $"{self}/api/kernels"));
            service.SendSignal(Processes.SIGTERM);
            Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.True(service.Stderr.Length == 0, $"the confined service wrote to stderr\n{service.Describe()}");
            foreach (var level in new[] { "Error", "Fatal" })
                Check.DoesNotContain($"\"@l\":\"{level}\"", service.Stdout, service.Describe());
            Check.DoesNotContain("Read-only file system", service.Stdout, service.Describe());
            Check.DoesNotContain("Permission denied", service.Stdout, service.Describe());
            Check.DoesNotContain("k8s-test-only", service.Stdout, "the database password appears in the log");
        }
    }

    /// <summary>The checks catch a broken copy: a Service selector label, the security context and the grace period.</summary>
    [Fact]
    public async Task A_broken_copy_of_the_manifests_is_caught()
    {
        using var copy = new TempDir();
        CopyDirectory(Kustomize.Root, copy.Path);
        void Break(string file, string from, string to)
        {
            var path = Path.Combine(copy.Path, file);
            var text = File.ReadAllText(path);
            Assert.Contains(from, text);
            File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
        }
        Break("base/services.yaml", "  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: llmspell\n", "  type: ClusterIP\n  selector:\n    app.kubernetes.io/name: llmspel\n");
        Break("base/statefulset.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFilesystem: false");
        Break("base/statefulset.yaml", "terminationGracePeriodSeconds: 60", "terminationGracePeriodSeconds: 30");
        Break("base/statefulset.yaml", "path: /health/ready\n            port: http", "path: /health/ready\n            port: 9556");
        Break("base/networkpolicy.yaml", "    - port: 9555", "    - port: 9556");
        var broken = await Kustomize.RenderAsync(Path.Combine(copy.Path, "base"), "a broken copy of base");

        Assert.Contains(ManifestChecks.Selectors(broken), p => p.StartsWith("Service/llmspell selects the pods of 0 workloads", StringComparison.Ordinal));
        Assert.Contains(ManifestChecks.Security(broken), p => p.Contains("readOnlyRootFilesystem", StringComparison.Ordinal));
        Assert.Contains(ManifestChecks.Grace(broken, 30), p => p.StartsWith("terminationGracePeriodSeconds (30)", StringComparison.Ordinal));
        Assert.Contains(ManifestChecks.ProbesAndPorts(broken), p => p.Contains("readiness probe's port 9556", StringComparison.Ordinal));
        Assert.Contains(ManifestChecks.ProbesAndPorts(broken), p => p.Contains("must admit only TCP 9555", StringComparison.Ordinal));
        Assert.Contains(ManifestChecks.Selectors(broken), p => p.Contains("ingress port 9556 is not a container port", StringComparison.Ordinal));
    }

    private static void CopyDirectory(string from, string to)
    {
        foreach (var dir in Directory.GetDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (var file in Directory.GetFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
