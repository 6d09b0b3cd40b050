using LlmSpell.Cluster;
using LlmSpell.Server.Config;

namespace LlmSpell.Server.Cluster;

public static class ClusterSetup
{
    /// <summary>Registers the peer directory, the forwarder and this instance's self-description when [cluster] enabled.</summary>
    public static IServiceCollection AddLlmSpellCluster(this IServiceCollection services, LlmSpellOptions options, ServiceRuntime runtime, bool documentOnly)
    {
        services.AddSingleton<DrainState>();
        if (!options.Cluster.Enabled) return services;
        services.AddSingleton(new ClusterSettings
        {
            InstanceId = runtime.InstanceId,
            AdvertiseUrl = options.Cluster.AdvertiseUrl ?? $"http{(options.Security.TlsEnabled ? "s" : "")}://127.0.0.1:{options.Kernel.Port}",
            Peers = options.Cluster.Peers,
            PeersDns = options.Cluster.PeersDns,
            Token = runtime.Key,
        });
        services.AddSingleton<PeerDirectory>();
        if (!documentOnly) services.AddHostedService(sp => sp.GetRequiredService<PeerDirectory>());
        services.AddHttpForwarder();
        services.AddSingleton<ClusterForwarder>();
        services.AddSingleton<ClusterSelf>();
        services.AddSingleton<ClusterRouting>();
        // Replaces the console/systemd lifetime (registered by UseSystemd): SIGTERM drains before the host stops.
        if (!documentOnly) services.AddSingleton<IHostLifetime, DrainingLifetime>();
        return services;
    }
}
