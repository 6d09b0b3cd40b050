using LlmSpell.Server.Config;

namespace LlmSpell.Server;

/// <summary>Stops the service after [kernel] idle_timeout seconds without client activity (0 = never).</summary>
public sealed class IdleTimeoutService(ConfigStore config, ServiceStats stats, TimeProvider clock,
    IHostApplicationLifetime lifetime, ILogger<IdleTimeoutService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), clock);
        while (await WaitAsync(timer, stoppingToken))
        {
            var timeout = config.Options.Kernel.IdleTimeout;
            if (timeout <= 0) continue;
            var idle = clock.GetUtcNow() - stats.LastActivity;
            if (idle < TimeSpan.FromSeconds(timeout)) continue;
            logger.LogInformation("No client activity for {Idle:F0}s (idle_timeout = {Timeout}); stopping", idle.TotalSeconds, timeout);
            lifetime.StopApplication();
            return;
        }
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
