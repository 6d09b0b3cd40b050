using System.Globalization;
using k8s.Models;

namespace LlmSpell.EndToEnd.Tests.Kubernetes;

/// <summary>
/// What a manifest linter would check, each as a list of problems (empty = fine), so the self-tests can show that a
/// broken copy of the manifests is caught.
/// </summary>
public static class ManifestChecks
{
    /// <summary>The image's user and group (Dockerfile: groupadd/useradd 10001).</summary>
    public const long ImageUid = 10001;

    /// <summary>Where the service writes in its container (runtime dir, working dir, temp); nothing else is writable.</summary>
    public static readonly string[] WritablePaths = ["/var/run/llmspell", "/var/lib/llmspell", "/tmp"];

    /// <summary>The keys of the llmspell-secrets Secret the manifests may reference.</summary>
    public static readonly string[] SecretKeys = ["hmac_key", "database_dsn", "openai_api_key"];

    public const string SecretName = "llmspell-secrets";
    public const int HttpPort = 9555;

    private static bool Matches(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && labels is not null && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static bool Matches(V1LabelSelector? selector, IDictionary<string, string>? labels, List<string> problems, string who)
    {
        if (selector is null) { problems.Add($"{who} has no selector"); return false; }
        if (selector.MatchExpressions is { Count: > 0 }) { problems.Add($"{who} uses matchExpressions, which these checks do not evaluate: use matchLabels"); return false; }
        return Matches(selector.MatchLabels, labels);
    }

    /// <summary>Every selector selects the pods of exactly one workload (or one Service, for a ServiceMonitor), and what it names there exists.</summary>
    public static List<string> Selectors(Manifests m)
    {
        var problems = new List<string>();
        var pods = m.PodTemplates.ToList();
        foreach (var s in m.All<V1StatefulSet>())
            if (!Matches(s.Spec.Selector, s.Spec.Template.Metadata.Labels, problems, $"StatefulSet/{s.Metadata.Name}"))
                problems.Add($"StatefulSet/{s.Metadata.Name}: spec.selector does not match its pod template's labels");
        foreach (var d in m.All<V1Deployment>())
            if (!Matches(d.Spec.Selector, d.Spec.Template.Metadata.Labels, problems, $"Deployment/{d.Metadata.Name}"))
                problems.Add($"Deployment/{d.Metadata.Name}: spec.selector does not match its pod template's labels");

        List<(string Workload, IDictionary<string, string> Labels, V1PodSpec Spec)> SelectedBy(string who, Func<IDictionary<string, string>, bool> selects)
        {
            var selected = pods.Where(p => selects(p.Labels)).ToList();
            if (selected.Count != 1)
                problems.Add($"{who} selects the pods of {selected.Count} workloads ({string.Join(", ", selected.Select(p => p.Workload))}); it must select exactly one");
            return selected;
        }

        foreach (var service in m.All<V1Service>())
        {
            var who = $"Service/{service.Metadata.Name}";
            var selected = SelectedBy(who, labels => Matches(service.Spec.Selector, labels));
            foreach (var port in service.Spec.Ports ?? [])
                foreach (var pod in selected)
                    if (!DeclaresPort(pod.Spec, port.TargetPort?.Value ?? port.Port.ToString(CultureInfo.InvariantCulture)))
                        problems.Add($"{who}: targetPort {port.TargetPort?.Value} is not a container port of {pod.Workload}");
        }
        foreach (var s in m.All<V1StatefulSet>())
        {
            var headless = m.All<V1Service>().FirstOrDefault(x => x.Metadata.Name == s.Spec.ServiceName);
            if (headless is null) { problems.Add($"StatefulSet/{s.Metadata.Name}: serviceName {s.Spec.ServiceName} names no Service"); continue; }
            if (headless.Spec.ClusterIP != "None") problems.Add($"Service/{headless.Metadata.Name} (the StatefulSet's serviceName) is not headless (clusterIP: None)");
            if (headless.Spec.PublishNotReadyAddresses != true) problems.Add($"Service/{headless.Metadata.Name} does not publish not-ready addresses: starting and draining peers would not find each other");
            if (!Matches(headless.Spec.Selector, s.Spec.Template.Metadata.Labels)) problems.Add($"Service/{headless.Metadata.Name} does not select StatefulSet/{s.Metadata.Name}'s pods");
        }
        foreach (var pdb in m.All<V1PodDisruptionBudget>())
            SelectedBy($"PodDisruptionBudget/{pdb.Metadata.Name}", labels => Matches(pdb.Spec.Selector, labels, problems, $"PodDisruptionBudget/{pdb.Metadata.Name}"));
        foreach (var policy in m.All<V1NetworkPolicy>())
        {
            var who = $"NetworkPolicy/{policy.Metadata.Name}";
            var selected = SelectedBy(who, labels => Matches(policy.Spec.PodSelector, labels, problems, who));
            foreach (var rule in policy.Spec.Ingress ?? [])
            {
                foreach (var peer in rule.FromProperty ?? [])
                    if (peer.PodSelector is not null)
                        SelectedBy($"{who} ingress from", labels => Matches(peer.PodSelector, labels, problems, who));
                foreach (var port in rule.Ports ?? [])
                    foreach (var pod in selected)
                        if (port.Port is null || !DeclaresPort(pod.Spec, port.Port.Value))
                            problems.Add($"{who}: ingress port {port.Port?.Value} is not a container port of {pod.Workload}");
            }
        }
        foreach (var monitor in m.All<ServiceMonitor>())
        {
            var who = $"ServiceMonitor/{monitor.Metadata.Name}";
            var services = m.All<V1Service>().Where(s => Matches(monitor.Spec.Selector, s.Metadata.Labels, problems, who)).ToList();
            if (services.Count != 1) problems.Add($"{who} selects {services.Count} Services ({string.Join(", ", services.Select(s => s.Metadata.Name))}); it must select exactly one");
            foreach (var endpoint in monitor.Spec.Endpoints)
                foreach (var service in services)
                    if (service.Spec.Ports?.Any(p => p.Name == endpoint.Port) != true)
                        problems.Add($"{who}: endpoint port {endpoint.Port} is not a port of Service/{service.Metadata.Name}");
        }
        return problems;
    }

    /// <summary>Whether a container of the pod declares <paramref name="port"/> (a name or a number).</summary>
    public static bool DeclaresPort(V1PodSpec spec, string port) =>
        spec.Containers.Any(c => DeclaresPort(c, port));

    public static bool DeclaresPort(V1Container container, string port) =>
        container.Ports?.Any(p => p.Name == port || p.ContainerPort.ToString(CultureInfo.InvariantCulture) == port) == true;

    /// <summary>Every probe's port is declared on its container; the server's probes are the service's health endpoints on its one port.</summary>
    public static List<string> ProbesAndPorts(Manifests m)
    {
        var problems = new List<string>();
        foreach (var (workload, _, spec) in m.PodTemplates)
            foreach (var container in spec.Containers)
                foreach (var (kind, probe) in Probes(container))
                {
                    var port = probe.HttpGet?.Port?.Value ?? probe.TcpSocket?.Port?.Value;
                    if (port is not null && !DeclaresPort(container, port))
                        problems.Add($"{workload} container {container.Name}: the {kind} probe's port {port} is not declared on the container");
                }

        var server = m.Server;
        var ports = server.Ports ?? [];
        if (ports.Count != 1 || ports[0].ContainerPort != HttpPort || ports[0].Name != "http" || (ports[0].Protocol ?? "TCP") != "TCP")
            problems.Add($"the llmspell container must declare exactly one port, http = {HttpPort}/TCP (no ZeroMQ ports in cluster mode); it declares {string.Join(", ", ports.Select(p => $"{p.Name}={p.ContainerPort}"))}");
        foreach (var (kind, path) in new[] { ("startup", "/health"), ("liveness", "/health"), ("readiness", "/health/ready") })
        {
            var probe = Probes(server).FirstOrDefault(p => p.Kind == kind).Probe;
            if (probe?.HttpGet is null) { problems.Add($"the llmspell container has no HTTP {kind} probe"); continue; }
            if (probe.HttpGet.Path != path) problems.Add($"the {kind} probe GETs {probe.HttpGet.Path}, expected {path}");
            if (probe.HttpGet.Port?.Value != "http") problems.Add($"the {kind} probe uses port {probe.HttpGet.Port?.Value}, expected the named port http");
        }
        foreach (var policy in m.All<V1NetworkPolicy>().Where(p => Matches(p.Spec.PodSelector.MatchLabels, m.StatefulSet.Spec.Template.Metadata.Labels)))
        {
            var allowed = (policy.Spec.Ingress ?? []).SelectMany(r => r.Ports ?? []).Select(p => $"{p.Port?.Value}/{p.Protocol ?? "TCP"}").ToList();
            if (policy.Spec.PolicyTypes?.Contains("Ingress") != true || allowed.Count != 1 || allowed[0] != $"{HttpPort}/TCP"
                || (policy.Spec.Ingress ?? []).Any(r => r.Ports is not { Count: > 0 }))
                problems.Add($"NetworkPolicy/{policy.Metadata.Name} must admit only TCP {HttpPort}; it admits {(allowed.Count == 0 ? "every port" : string.Join(", ", allowed))}");
        }
        return problems;
    }

    public static IEnumerable<(string Kind, V1Probe Probe)> Probes(V1Container c) =>
        new[] { ("startup", c.StartupProbe), ("liveness", c.LivenessProbe), ("readiness", c.ReadinessProbe) }.Where(p => p.Item2 is not null)!;

    /// <summary>Every workload is hardened; the server runs as the image's user, writing only where the service writes.</summary>
    public static List<string> Security(Manifests m)
    {
        var problems = new List<string>();
        foreach (var (workload, _, spec) in m.PodTemplates)
        {
            var pod = spec.SecurityContext;
            if (pod?.RunAsNonRoot != true) problems.Add($"{workload}: runAsNonRoot is not true");
            if (pod?.SeccompProfile?.Type != "RuntimeDefault") problems.Add($"{workload}: seccompProfile is not RuntimeDefault");
            if (pod?.RunAsUser is null or 0 || pod.RunAsGroup is null or 0 || pod.FsGroup is null) problems.Add($"{workload}: runAsUser, runAsGroup and fsGroup must be set (non-zero)");
            if (spec.AutomountServiceAccountToken != false) problems.Add($"{workload}: automountServiceAccountToken is not false (the service never calls the Kubernetes API)");
            if (spec.HostNetwork == true || spec.HostPID == true || spec.HostIPC == true) problems.Add($"{workload}: uses the host's namespaces");
            foreach (var volume in spec.Volumes ?? [])
                if (volume.HostPath is not null) problems.Add($"{workload}: volume {volume.Name} is a hostPath");
            foreach (var c in spec.Containers.Concat(spec.InitContainers ?? []))
            {
                var who = $"{workload} container {c.Name}";
                var sc = c.SecurityContext;
                if (sc?.AllowPrivilegeEscalation != false) problems.Add($"{who}: allowPrivilegeEscalation is not false");
                if (sc?.ReadOnlyRootFilesystem != true) problems.Add($"{who}: readOnlyRootFilesystem is not true");
                if (sc?.Capabilities?.Drop is not { Count: 1 } drop || drop[0] != "ALL" || sc.Capabilities.Add is { Count: > 0 })
                    problems.Add($"{who}: capabilities must drop exactly ALL and add none");
                if (sc?.Privileged == true) problems.Add($"{who}: privileged");
                if (sc?.RunAsUser is not null && sc.RunAsUser != pod?.RunAsUser) problems.Add($"{who}: overrides runAsUser");
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    if (c.Resources?.Requests?.ContainsKey(resource) != true) problems.Add($"{who}: no {resource} request");
                    if (c.Resources?.Limits?.ContainsKey(resource) != true) problems.Add($"{who}: no {resource} limit");
                }
                foreach (var mount in c.VolumeMounts ?? [])
                {
                    var volume = spec.Volumes?.FirstOrDefault(v => v.Name == mount.Name);
                    if (volume is null) problems.Add($"{who}: mounts {mount.Name}, which is no volume of the pod");
                    else if ((volume.ConfigMap is not null || volume.Secret is not null) && mount.ReadOnlyProperty != true)
                        problems.Add($"{who}: the ConfigMap/Secret volume {mount.Name} is not mounted readOnly");
                }
            }
        }

        var sts = m.StatefulSet.Spec.Template.Spec;
        var podContext = sts.SecurityContext;
        if (podContext?.RunAsUser != ImageUid || podContext.RunAsGroup != ImageUid || podContext.FsGroup != ImageUid)
            problems.Add($"StatefulSet/{m.StatefulSet.Metadata.Name}: runAsUser/runAsGroup/fsGroup must be the image's user {ImageUid}; found {podContext?.RunAsUser}/{podContext?.RunAsGroup}/{podContext?.FsGroup}");
        var writable = (m.Server.VolumeMounts ?? [])
            .Where(mount => sts.Volumes?.FirstOrDefault(v => v.Name == mount.Name) is { EmptyDir: not null } || mount.ReadOnlyProperty != true)
            .Select(mount => mount.MountPath).Order(StringComparer.Ordinal).ToList();
        if (!writable.SequenceEqual(WritablePaths.Order(StringComparer.Ordinal)))
            problems.Add($"the llmspell container's writable mounts must be emptyDirs at exactly {string.Join(", ", WritablePaths)}; found {string.Join(", ", writable)}");
        foreach (var mount in (m.Server.VolumeMounts ?? []).Where(v => writable.Contains(v.MountPath)))
            if (sts.Volumes?.FirstOrDefault(v => v.Name == mount.Name)?.EmptyDir is null)
                problems.Add($"the writable mount {mount.MountPath} is not an emptyDir");
        return problems;
    }

    /// <summary>
    /// Secrets are referenced, never shipped: no Secret with data (<paramref name="allowDevSecrets"/>: except the dev
    /// overlay's generated, obviously-dev one); every reference names a key of llmspell-secrets or a Secret that is there.
    /// </summary>
    public static List<string> Secrets(Manifests m, bool allowDevSecrets)
    {
        var problems = new List<string>();
        foreach (var secret in m.All<V1Secret>())
        {
            var values = (secret.Data ?? new Dictionary<string, byte[]>()).Values.Select(v => System.Text.Encoding.UTF8.GetString(v))
                .Concat((secret.StringData ?? new Dictionary<string, string>()).Values).ToList();
            if (values.Count == 0) continue;
            var devOnly = allowDevSecrets && secret.Metadata.Name.Contains("-dev", StringComparison.Ordinal) && values.All(v => v.StartsWith("dev-only", StringComparison.Ordinal));
            if (!devOnly) problems.Add($"Secret/{secret.Metadata.Name} carries data in {m.Name}: secrets are created with kubectl, never committed");
        }
        var shipped = m.All<V1Secret>().Select(s => s.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        void Reference(string who, string? name, string? key)
        {
            if (name == SecretName)
            {
                if (key is not null && !SecretKeys.Contains(key)) problems.Add($"{who}: key {key} of {SecretName} is none of {string.Join(", ", SecretKeys)} (docs/kubernetes.md)");
            }
            else if (name is null || !shipped.Contains(name)) problems.Add($"{who}: references Secret {name}, which is neither {SecretName} nor part of {m.Name}");
        }
        foreach (var (workload, _, spec) in m.PodTemplates)
        {
            foreach (var c in spec.Containers)
                foreach (var env in c.Env ?? [])
                    if (env.ValueFrom?.SecretKeyRef is { } reference) Reference($"{workload} env {env.Name}", reference.Name, reference.Key);
            foreach (var volume in spec.Volumes ?? [])
                if (volume.Secret is { } secretVolume)
                {
                    if (secretVolume.Items is not { Count: > 0 }) Reference($"{workload} volume {volume.Name}", secretVolume.SecretName, null);
                    foreach (var item in secretVolume.Items ?? []) Reference($"{workload} volume {volume.Name}", secretVolume.SecretName, item.Key);
                }
        }
        return problems;
    }

    /// <summary>
    /// terminationGracePeriodSeconds covers the preStop sleep, the drain and the rest of the host's shutdown (in cluster
    /// mode the host allows drain_timeout + 15 s: stopping the kernels and the server), so no SIGKILL cuts it short.
    /// </summary>
    public static List<string> Grace(Manifests m, int drainTimeout)
    {
        var problems = new List<string>();
        var grace = m.StatefulSet.Spec.Template.Spec.TerminationGracePeriodSeconds;
        var preStop = m.Server.Lifecycle?.PreStop;
        var command = preStop?.Exec?.Command ?? [];
        var sleep = preStop?.Sleep?.Seconds
            ?? (command.Count == 2 && command[0] is "/bin/sleep" or "sleep" && long.TryParse(command[1], CultureInfo.InvariantCulture, out var s) ? s : (long?)null);
        if (sleep is null or <= 0) problems.Add($"the llmspell container's preStop must sleep a few seconds (exec /bin/sleep N) so endpoints drain before SIGTERM; found {string.Join(' ', command)}");
        if (grace is null || grace <= (sleep ?? 0) + drainTimeout + 15)
            problems.Add($"terminationGracePeriodSeconds ({grace}) must exceed preStop ({sleep} s) + cluster.drain_timeout ({drainTimeout} s) + 15 s for stopping the kernels and the server");
        return problems;
    }
}
