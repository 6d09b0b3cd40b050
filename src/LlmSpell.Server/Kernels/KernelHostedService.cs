using LlmSpell.Server.Config;

namespace LlmSpell.Server.Kernels;

/// <summary>Starts the default kernel with the host, and stops every kernel on shutdown.</summary>
public sealed class KernelHostedService(KernelManager kernels, ConfigStore config, ILogger<KernelHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        kernels.StartDefault(config.Options.Kernel.Port);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Stopping {Count} kernel(s)", kernels.All.Count);
        await kernels.StopAllAsync();
    }
}
