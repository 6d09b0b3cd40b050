using LlmSpell.Kernel;
using LlmSpell.Server.Kernels;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LlmSpell.Server.Health;

/// <summary>Liveness: reads kernel state fields only, so it never waits on a busy kernel.</summary>
public sealed class KernelHealthCheck(KernelManager kernels, IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = kernels.All.ToDictionary(k => k.Id, k => (object)k.State.ToWire());
        if (lifetime.ApplicationStopping.IsCancellationRequested)
            return Task.FromResult(HealthCheckResult.Unhealthy("service is shutting down", data: data));
        if (kernels.Default is not { State: not KernelState.Dead })
            return Task.FromResult(HealthCheckResult.Degraded("the default kernel is not running", data: data));
        if (kernels.All.FirstOrDefault(IsWedged) is { } wedged)
            return Task.FromResult(HealthCheckResult.Degraded(WedgedDescription(wedged), data: data));
        return Task.FromResult(HealthCheckResult.Healthy("kernels running", data));
    }

    /// <summary>A kernel whose running cell has ignored an interrupt this long is stuck where interrupts do not reach.</summary>
    public static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(5);

    public static bool IsWedged(JupyterKernel kernel) => kernel.InterruptPendingFor > InterruptGrace;

    public static string WedgedDescription(JupyterKernel kernel) =>
        $"kernel {kernel.Id} has not honoured an interrupt for {kernel.InterruptPendingFor!.Value.TotalSeconds:F0} s; restart it (POST /api/kernels/{kernel.Id}/restart) to abandon the stuck state";
}

/// <summary>Readiness: the default kernel exists and can take work (idle, or busy with a queue).</summary>
public sealed class DefaultKernelReadyCheck(KernelManager kernels, LlmSpell.Server.Cluster.DrainState drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.Draining ? HealthCheckResult.Unhealthy("draining: serving its kernels, taking no new ones")
            : kernels.Default is { } kernel && KernelHealthCheck.IsWedged(kernel)
            ? HealthCheckResult.Unhealthy(KernelHealthCheck.WedgedDescription(kernel))
            : kernels.Default?.State is KernelState.Idle or KernelState.Busy
                ? HealthCheckResult.Healthy("default kernel ready")
                : HealthCheckResult.Unhealthy($"default kernel is {kernels.Default?.State.ToWire() ?? "not running"}"));
}
