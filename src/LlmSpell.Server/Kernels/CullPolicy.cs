using LlmSpell.Kernel;
using LlmSpell.Server.Config;

namespace LlmSpell.Server.Kernels;

/// <summary>What the culler knows about one listed kernel at a check.</summary>
public sealed record CullCandidate(string Id, bool IsDefault, KernelState State, int Connections, TimeSpan Idle);

/// <summary>
/// Which kernels the culler stops, as Jupyter Server's MappingKernelManager decides: a dead kernel at once; else one
/// idle longer than cull_idle_timeout, unless busy (spared unless cull_busy) or with an open websocket connection
/// (spared unless cull_connected). The default kernel is never culled: it is the service's own, named by the
/// connection file it was started with, and the service's readiness depends on it.
/// </summary>
public static class CullPolicy
{
    public static bool ShouldCull(CullCandidate kernel, KernelsSection options)
    {
        if (kernel.IsDefault || options.CullIdleTimeout <= 0) return false;
        if (kernel.State == KernelState.Dead) return true;
        return kernel.Idle > TimeSpan.FromSeconds(options.CullIdleTimeout)
            && (options.CullBusy || kernel.State != KernelState.Busy)
            && (options.CullConnected || kernel.Connections == 0);
    }
}
