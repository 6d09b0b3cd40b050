using System.Collections.Concurrent;
using LlmSpell.Kernel;

namespace LlmSpell.Server.Kernels;

/// <summary>
/// The warm kernels of [kernels] prespawn: started with the default launch, held apart from the listed kernels
/// (not listed, not culled) and counted against max_kernels. <see cref="PrespawnPool"/> keeps them filled; every
/// decision is taken under the start gate, so a POST sees a warm kernel either ready or not there at all.
/// </summary>
public sealed partial class KernelManager
{
    private readonly ConcurrentDictionary<string, JupyterKernel> _warm = new(StringComparer.Ordinal);
    private bool _closing;

    /// <summary>The warm kernels, oldest first (for tests and diagnostics).</summary>
    internal IReadOnlyList<JupyterKernel> Warm => _warm.Values.OrderBy(k => k.StartedAt).ToList();

    /// <summary>How many warm kernels to hold now: [kernels] prespawn, within the places the listed kernels leave.</summary>
    private int WarmTarget()
    {
        var o = config.Options.Kernels;
        return _closing ? 0 : Math.Max(0, Math.Min(o.Prespawn, KernelCapacity.Effective(o.MaxKernels) - _kernels.Count));
    }

    /// <summary>
    /// A warm kernel runs with the service's own working directory: a launch naming another one cannot use it. Its
    /// user is only a label (model, logs), so any user can take it.
    /// </summary>
    private bool CanUseWarm(KernelLaunch launch) =>
        launch.WorkingDirectory is null || string.Equals(
            Path.TrimEndingDirectorySeparator(Path.GetFullPath(launch.WorkingDirectory)),
            Path.TrimEndingDirectorySeparator(KernelOptionsFromConfig.SandboxRoot(config.Options)), StringComparison.Ordinal);

    /// <summary>Moves the oldest warm kernel to the listed ones, for <paramref name="launch"/>'s user. Caller holds the gate.</summary>
    private JupyterKernel? TakeWarm(KernelLaunch launch)
    {
        foreach (var kernel in _warm.Values.OrderBy(k => k.StartedAt))
        {
            if (kernel.State is KernelState.Dead || !_warm.TryRemove(kernel.Id, out _)) continue;
            _handouts[kernel.Id] = new Handout(launch.Username, clock.GetUtcNow());
            _kernels[kernel.Id] = kernel;
            if (launch.Username is { } user) Log.HandedOutFor(logger, kernel.Id, user);
            else Log.HandedOut(logger, kernel.Id);
            PublishCounts();
            return kernel;
        }
        return null;
    }

    /// <summary>Stops one warm kernel to free its place for a launch that cannot use it. Caller holds the gate.</summary>
    private void EvictWarm()
    {
        if (_warm.Values.OrderBy(k => k.StartedAt).FirstOrDefault() is not { } kernel || !_warm.TryRemove(kernel.Id, out _)) return;
        // Its sockets close within the stop; the place counts as free from now on.
        _ = kernel.StopAsync(StopTimeout);
        PublishCounts();
    }

    /// <summary>Starts one warm kernel if the pool is short of its target; false when there is nothing to do.</summary>
    internal bool TryPrespawn()
    {
        lock (_startGate)
        {
            if (_warm.Count >= WarmTarget()) return false;
            var id = NewId();
            StartKernel(BaseOptions(id, ConnectionFileFor(id)), warm: true);
            return true;
        }
    }

    /// <summary>Stops the warm kernels beyond the target (prespawn or max_kernels lowered, places taken).</summary>
    internal Task TrimWarmAsync()
    {
        List<JupyterKernel> extra;
        lock (_startGate)
        {
            extra = _warm.Values.OrderByDescending(k => k.StartedAt).Take(Math.Max(0, _warm.Count - WarmTarget())).ToList();
            foreach (var kernel in extra) _warm.TryRemove(kernel.Id, out _);
        }
        return StopWarmAsync(extra);
    }

    /// <summary>Stops every warm kernel: after a reload they were started with the old options.</summary>
    internal Task DrainWarmAsync()
    {
        List<JupyterKernel> all;
        lock (_startGate)
        {
            all = _warm.Values.ToList();
            _warm.Clear();
        }
        return StopWarmAsync(all);
    }

    private List<JupyterKernel> CloseWarm()
    {
        lock (_startGate)
        {
            _closing = true;
            var all = _warm.Values.ToList();
            _warm.Clear();
            return all;
        }
    }

    private async Task StopWarmAsync(List<JupyterKernel> kernels)
    {
        if (kernels.Count == 0) return;
        await Task.WhenAll(kernels.Select(k => k.StopAsync(StopTimeout)));
        PublishCounts();
    }
}
