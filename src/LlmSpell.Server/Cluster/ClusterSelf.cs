using LlmSpell.Cluster;
using LlmSpell.Kernel;
using LlmSpell.Server.Config;
using LlmSpell.Server.Kernels;

namespace LlmSpell.Server.Cluster;

/// <summary>What this instance tells its peers about itself (GET /api/cluster/self) and counts in placement.</summary>
public sealed class ClusterSelf(ServiceRuntime runtime, ClusterSettings settings, KernelManager kernels, ConfigStore config, DrainState drain)
{
    public string InstanceId => settings.InstanceId;

    public ClusterMember Describe()
    {
        var all = kernels.All;
        // Without advertise_url, peers are told the address Kestrel bound (port 0 resolves only then).
        var url = config.Options.Cluster.AdvertiseUrl ?? runtime.HttpUrl ?? settings.AdvertiseUrl;
        return new ClusterMember(settings.InstanceId, OwnerTags.Format(settings.Tag), url.TrimEnd('/'),
            Ready: kernels.Default?.State is KernelState.Idle or KernelState.Busy, Draining: drain.Draining,
            Kernels: all.Count, BusyKernels: all.Count(k => k.State == KernelState.Busy),
            MaxKernels: KernelCapacity.Effective(config.Options.Kernels.MaxKernels));
    }

    public bool Owns(string kernelId) => OwnerTags.TryRead(kernelId, out var tag) && runtime.OwnerTag == tag;
}
