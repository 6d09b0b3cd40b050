using LlmSpell.Gateway;
using LlmSpell.Kernel;
using LlmSpell.Server.Config;
using LlmSpell.Server.Metrics;

namespace LlmSpell.Server.Kernels;

/// <summary>
/// Every [kernels] cull_interval seconds, stops the listed kernels <see cref="CullPolicy"/> picks (none while
/// cull_idle_timeout = 0). The options are read at each check, and a reload starts the next wait afresh.
/// Warm kernels are not listed, so never culled; the default kernel never is either.
/// </summary>
public sealed partial class KernelCuller(KernelManager kernels, GatewayConnections connections, ConfigStore config,
    TimeProvider clock, ILogger<KernelCuller> logger) : BackgroundService
{
    private CancellationTokenSource _reloaded = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        config.Reloaded += OnReloaded;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (!await WaitAsync(TimeSpan.FromSeconds(Math.Max(1, config.Options.Kernels.CullInterval)), stoppingToken)) continue;
                await CullAsync();
            }
        }
        finally
        {
            config.Reloaded -= OnReloaded;
        }
    }

    /// <summary>One check: stops each kernel the policy picks. Returns how many it stopped.</summary>
    internal async Task<int> CullAsync()
    {
        var options = config.Options.Kernels;
        if (options.CullIdleTimeout <= 0) return 0;
        var now = clock.GetUtcNow();
        var culled = 0;
        foreach (var kernel in kernels.All)
        {
            var idle = now - kernels.LastActivityOf(kernel);
            var open = connections.Count(kernel.Id);
            if (!CullPolicy.ShouldCull(new CullCandidate(kernel.Id, kernel.Id == kernels.DefaultKernelId, kernel.State, open, idle), options)) continue;
            var user = kernels.UsernameOf(kernel);
            var state = kernel.State.ToWire();
            if (!await kernels.StopAsync(kernel.Id)) continue; // stopped meanwhile by a client
            LlmSpellMetrics.KernelsCulled.Inc();
            culled++;
            if (user is null) Log.Culled(logger, kernel.Id, state, idle.TotalSeconds, open);
            else Log.CulledFor(logger, kernel.Id, user, state, idle.TotalSeconds, open);
        }
        return culled;
    }

    /// <summary>False when the wait was cut short by a reload (or by the stop), so the next interval is read afresh.</summary>
    private async Task<bool> WaitAsync(TimeSpan interval, CancellationToken stoppingToken)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, Volatile.Read(ref _reloaded).Token);
        try
        {
            await Task.Delay(interval, clock, either.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void OnReloaded(LoadedConfig _)
    {
        // Not disposed: a wait may be linking to it right now (a source without a timer holds nothing to free).
        Interlocked.Exchange(ref _reloaded, new CancellationTokenSource()).Cancel();
    }

    public override void Dispose()
    {
        _reloaded.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2800, Level = LogLevel.Information,
            Message = "Culled {State} kernel {KernelId} of user {Username} after {IdleSeconds:F0}s of inactivity ({Connections} connection(s))")]
        public static partial void CulledFor(ILogger logger, string kernelId, string username, string state, double idleSeconds, int connections);

        [LoggerMessage(EventId = 2801, Level = LogLevel.Information,
            Message = "Culled {State} kernel {KernelId} after {IdleSeconds:F0}s of inactivity ({Connections} connection(s))")]
        public static partial void Culled(ILogger logger, string kernelId, string state, double idleSeconds, int connections);
    }
}
