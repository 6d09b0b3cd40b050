using LlmSpell.Server.Config;

namespace LlmSpell.Server.Kernels;

/// <summary>Starts the default kernel with the host, and stops every kernel on shutdown.</summary>
public sealed partial class KernelHostedService(KernelManager kernels, ConfigStore config, Cluster.DrainState drain,
    ILogger<KernelHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        kernels.StartDefault(config.Options.Kernel.Port);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (config.Options.Cluster.Enabled) await DrainAsync(TimeSpan.FromSeconds(config.Options.Cluster.DrainTimeout), cancellationToken);
        Log.StoppingAll(logger, kernels.All.Count);
        await kernels.StopAllAsync();
    }

    /// <summary>
    /// Cluster mode's drain: not ready any more (peers and the load balancer send new kernels elsewhere), running cells
    /// get up to <paramref name="timeout"/> to finish; then the kernels stop, which tells their clients (iopub shutdown,
    /// websocket close 1001).
    /// </summary>
    private async Task DrainAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        drain.Begin();
        var busy = kernels.All.Count(k => k.State == LlmSpell.Kernel.KernelState.Busy);
        Log.Draining(logger, kernels.All.Count, busy, timeout.TotalSeconds);
        var deadline = DateTime.UtcNow + timeout;
        while (kernels.All.Any(k => k.State == LlmSpell.Kernel.KernelState.Busy) && DateTime.UtcNow < deadline && !cancellationToken.IsCancellationRequested)
            await Task.Delay(100, CancellationToken.None);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2601, Level = LogLevel.Information, Message = "Draining: {Count} kernel(s), {Busy} running a cell; waiting up to {Seconds} s for them to finish")]
        public static partial void Draining(ILogger logger, int count, int busy, double seconds);

        [LoggerMessage(EventId = 2600, Level = LogLevel.Information, Message = "Stopping {Count} kernel(s)")]
        public static partial void StoppingAll(ILogger logger, int count);
    }
}
