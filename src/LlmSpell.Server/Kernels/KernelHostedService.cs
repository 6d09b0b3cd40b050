using LlmSpell.Server.Config;

namespace LlmSpell.Server.Kernels;

/// <summary>Starts the default kernel with the host, and stops every kernel on shutdown.</summary>
public sealed partial class KernelHostedService(KernelManager kernels, ConfigStore config, ILogger<KernelHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        kernels.StartDefault(config.Options.Kernel.Port);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Log.StoppingAll(logger, kernels.All.Count);
        await kernels.StopAllAsync();
    }

    private static partial class Log
    {

        [LoggerMessage(EventId = 2600, Level = LogLevel.Information, Message = "Stopping {Count} kernel(s)")]
        public static partial void StoppingAll(ILogger logger, int count);
    }
}
