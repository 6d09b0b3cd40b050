using LlmSpell.Server.Config;

namespace LlmSpell.Server;

/// <summary>Stops the service after [kernel] idle_timeout seconds without client activity (0 = never).</summary>
public sealed partial class IdleTimeoutService(ConfigStore config, ServiceStats stats, TimeProvider clock,
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
            Log.IdleStop(logger, idle.TotalSeconds, timeout);
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

    private static partial class Log
    {
        [LoggerMessage(EventId = 2500, Level = LogLevel.Information, Message = "No client activity for {Idle:F0}s (idle_timeout = {Timeout}); stopping")]
        public static partial void IdleStop(ILogger logger, double idle, int timeout);
    }
}
