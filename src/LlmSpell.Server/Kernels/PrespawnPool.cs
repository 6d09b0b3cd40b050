using LlmSpell.Server.Config;

namespace LlmSpell.Server.Kernels;

/// <summary>
/// Keeps [kernels] prespawn warm kernels ready in the background: first once the service is up (so their start
/// never delays readiness), then after each kernel handed out, stopped or lost, and after each reload (which
/// replaces the warm kernels, started with the old options). A failed start is logged and retried later.
/// </summary>
public sealed partial class PrespawnPool(KernelManager kernels, ConfigStore config, IHostApplicationLifetime lifetime,
    ILogger<PrespawnPool> logger) : BackgroundService
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _wake = new(0);
    private int _drain;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await StartedAsync(stoppingToken)) return;
        kernels.PlacesChanged += Wake;
        config.Reloaded += OnReloaded;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (Interlocked.Exchange(ref _drain, 0) == 1) await kernels.DrainWarmAsync();
                await kernels.TrimWarmAsync();
                var filled = Fill(stoppingToken);
                try
                {
                    await _wake.WaitAsync(filled ? Timeout.InfiniteTimeSpan : RetryAfterFailure, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
        finally
        {
            kernels.PlacesChanged -= Wake;
            config.Reloaded -= OnReloaded;
        }
    }

    /// <summary>Starts warm kernels until the pool is at its target; false when a start failed.</summary>
    private bool Fill(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested && kernels.TryPrespawn()) { }
            return true;
        }
        // Whatever a kernel start throws (sockets, descriptors, a Lua state that did not start): a background
        // failure must not stop the service, and a POST still starts a kernel cold.
        catch (Exception e)
        {
            Log.PrespawnFailed(logger, e, RetryAfterFailure.TotalSeconds);
            return false;
        }
    }

    private async Task<bool> StartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task;
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0) _wake.Release();
    }

    private void OnReloaded(LoadedConfig _)
    {
        Interlocked.Exchange(ref _drain, 1);
        Wake();
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2810, Level = LogLevel.Warning, Message = "Could not prespawn a warm kernel; retrying in {RetrySeconds:F0}s")]
        public static partial void PrespawnFailed(ILogger logger, Exception exception, double retrySeconds);
    }
}
