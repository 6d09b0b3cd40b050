using System.Runtime.InteropServices;
using LlmSpell.Kernel;
using LlmSpell.Server.Config;
using LlmSpell.Server.Kernels;

namespace LlmSpell.Server.Cluster;

/// <summary>
/// Cluster mode's host lifetime: SIGTERM (or SIGINT) first drains — the instance reports not ready, so peers and the
/// load balancer send new kernels elsewhere, while running cells get up to drain_timeout to finish and every request
/// is still served — and only then stops the host, whose kernel stop tells clients (iopub shutdown, websocket 1001).
/// </summary>
public sealed partial class DrainingLifetime(IHostApplicationLifetime lifetime, DrainState drain, KernelManager kernels, ConfigStore config,
    ILogger<DrainingLifetime> logger) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT })
            _registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true;
                _ = DrainThenStopAsync(signal.ToString());
            }));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task DrainThenStopAsync(string signal)
    {
        if (drain.Draining) return;
        drain.Begin();
        var timeout = TimeSpan.FromSeconds(config.Options.Cluster.DrainTimeout);
        Log.Draining(logger, signal, kernels.All.Count, kernels.All.Count(k => k.State == KernelState.Busy), timeout.TotalSeconds);
        var deadline = DateTime.UtcNow + timeout;
        while (kernels.All.Any(k => k.State == KernelState.Busy) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        Log.Drained(logger, kernels.All.Count(k => k.State == KernelState.Busy));
        // The kernels go first, while the server still runs: their clients get the shutdown notice and a 1001 close.
        await kernels.StopAllAsync();
        lifetime.StopApplication();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 5020, Level = LogLevel.Information, Message = "{Signal}: draining {Count} kernel(s), {Busy} running a cell; up to {Seconds} s for them to finish, taking no new kernels")]
        public static partial void Draining(ILogger logger, string signal, int count, int busy, double seconds);

        [LoggerMessage(EventId = 5021, Level = LogLevel.Information, Message = "Drained ({Busy} cell(s) still running are interrupted by the stop); stopping")]
        public static partial void Drained(ILogger logger, int busy);
    }
}
