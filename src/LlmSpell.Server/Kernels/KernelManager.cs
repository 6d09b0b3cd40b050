using System.Collections.Concurrent;
using System.Diagnostics;
using LlmSpell.Gateway;
using LlmSpell.Kernel;
using LlmSpell.Server.Config;
using LlmSpell.Server.Metrics;

namespace LlmSpell.Server.Kernels;

/// <summary>
/// Owns every kernel this service hosts. The default kernel uses the HTTP port + 1..5 (or OS-assigned ports
/// when the HTTP port is 0) and the configured connection file; kernels started later get free ports and their
/// own connection file in the runtime directory. Warm kernels ([kernels] prespawn, see KernelManager.Prespawn.cs)
/// are held apart: not listed, not culled, but counted against max_kernels.
/// </summary>
public sealed partial class KernelManager(
    ConfigStore config,
    ServiceRuntime runtime,
    KernelMetricsObserver observer,
    LlmSpell.Scripting.ScriptingServices scripting,
    GatewayConnections connections,
    TimeProvider clock,
    ILoggerFactory loggerFactory,
    ILogger<KernelManager> logger) : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, JupyterKernel> _kernels = new(StringComparer.Ordinal);
    // Warm kernels handed out: for whom, and since when (their own start time is when they were prespawned).
    private readonly ConcurrentDictionary<string, Handout> _handouts = new(StringComparer.Ordinal);
    private readonly Lock _startGate = new();

    /// <summary>Raised when a place may have freed or a warm kernel was taken or lost: the prespawn pool refills.</summary>
    internal event Action? PlacesChanged;

    public string DefaultKernelId => runtime.DefaultKernelId;

    /// <summary>The listed kernels (warm ones are not), in the order they were started or handed out.</summary>
    public IReadOnlyCollection<JupyterKernel> All => _kernels.Values.OrderBy(StartedAtOf).ToList();

    public JupyterKernel? Default => _kernels.GetValueOrDefault(DefaultKernelId);

    /// <summary>This instance's id in cluster mode (shown with each kernel), else null.</summary>
    public string? ClusterInstance => runtime.OwnerTag is null ? null : runtime.InstanceId;

    /// <summary>Open gateway websockets to the kernel (Jupyter's "connections").</summary>
    public int WebsocketsOf(JupyterKernel kernel) => connections.Count(kernel.Id);

    public bool TryGet(string id, out JupyterKernel kernel) => _kernels.TryGetValue(id, out kernel!);

    /// <summary>The user the kernel was started (or, if prespawned, handed out) for; null when none was named.</summary>
    public string? UsernameOf(JupyterKernel kernel) =>
        _handouts.TryGetValue(kernel.Id, out var handout) ? handout.Username : kernel.Options.Username;

    /// <summary>When the kernel was started, or handed out if it was prespawned.</summary>
    public DateTimeOffset StartedAtOf(JupyterKernel kernel) =>
        _handouts.TryGetValue(kernel.Id, out var handout) ? handout.At : kernel.StartedAt;

    /// <summary>The kernel's last client activity; a prespawned kernel is active when it is handed out.</summary>
    public DateTimeOffset LastActivityOf(JupyterKernel kernel) =>
        _handouts.TryGetValue(kernel.Id, out var handout) && handout.At > kernel.LastActivity ? handout.At : kernel.LastActivity;

    /// <summary>A kernel by its id or a unique prefix of it (as docker takes container ids), case-insensitive.</summary>
    public KernelLookup Find(string idOrPrefix)
    {
        if (_kernels.TryGetValue(idOrPrefix, out var exact)) return new KernelLookup(exact, []);
        if (idOrPrefix.Length == 0) return new KernelLookup(null, []);
        var matches = _kernels.Values.Where(k => k.Id.StartsWith(idOrPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        return matches.Count == 1 ? new KernelLookup(matches[0], []) : new KernelLookup(null, matches.Select(k => k.Id).Order().ToList());
    }

    public JupyterKernel StartDefault(int httpPort)
    {
        var o = config.Options;
        var portBase = o.Kernel.Port == 0 ? 0 : httpPort;
        // `--connection-file F` with an existing F is a launcher handing us ports and key (Jupyter style). A file named
        // only in the configuration is ours: a leftover from a crash is rewritten, never trusted.
        var existing = config.Sources.Overrides.ContainsKey("kernel:connection_file") && File.Exists(runtime.DefaultConnectionFile);
        return StartKernel(BaseOptions(DefaultKernelId, runtime.DefaultConnectionFile) with
        {
            ShellPort = ChannelPorts.Of(portBase, 0),
            IopubPort = ChannelPorts.Of(portBase, 1),
            StdinPort = ChannelPorts.Of(portBase, 2),
            ControlPort = ChannelPorts.Of(portBase, 3),
            HbPort = ChannelPorts.Of(portBase, 4),
            UseExistingConnectionFile = existing,
        }, warm: false);
    }

    /// <summary>
    /// Hands out a warm kernel when the launch can use one, else starts another kernel on free ports; refused beyond
    /// [kernels] max_kernels, but never because warm kernels hold the places (one is taken, or stopped to make room).
    /// </summary>
    public JupyterKernel StartAdditional(KernelLaunch? launch = null)
    {
        var began = Stopwatch.GetTimestamp();
        launch ??= KernelLaunch.Default;
        lock (_startGate)
        {
            if (CanUseWarm(launch) && TakeWarm(launch) is { } warm)
            {
                LlmSpellMetrics.KernelStart.WithLabels("prespawn").Observe(Stopwatch.GetElapsedTime(began).TotalSeconds);
                PlacesChanged?.Invoke();
                return warm;
            }
            var max = KernelCapacity.Effective(config.Options.Kernels.MaxKernels);
            if (_kernels.Count + _warm.Count >= max) EvictWarm();
            if (_kernels.Count + _warm.Count >= max)
                throw new KernelLimitException($"This service already hosts {_kernels.Count} kernel(s), its limit ([kernels] max_kernels{(config.Options.Kernels.MaxKernels == 0 ? ", derived from the process limits," : "")} = {max}). Stop one (DELETE /api/kernels/{{id}} or `llmspell kernel stop ID`) or raise max_kernels and reload.");
            try
            {
                var id = NewId();
                var kernel = StartKernel(BaseOptions(id, ConnectionFileFor(id), launch), warm: false);
                LlmSpellMetrics.KernelStart.WithLabels("cold").Observe(Stopwatch.GetElapsedTime(began).TotalSeconds);
                return kernel;
            }
            catch (Exception e) when (e is NetMQ.NetMQException or IOException)
            {
                // A max_kernels set above what the process can hold runs out of sockets or descriptors here.
                throw new KernelLimitException($"Could not start another kernel ({e.Message}): the process is out of sockets or file descriptors with {_kernels.Count} kernel(s). Lower [kernels] max_kernels (0 derives a safe limit) or stop a kernel.");
            }
        }
    }

    /// <summary>Stops a listed kernel (its websockets close themselves when it stops); false when no such kernel is listed.</summary>
    public async Task<bool> StopAsync(string id)
    {
        if (!_kernels.TryRemove(id, out var kernel)) return false;
        await kernel.StopAsync(StopTimeout);
        _handouts.TryRemove(id, out _);
        PublishCounts();
        PlacesChanged?.Invoke();
        return true;
    }

    /// <summary>Stops every kernel, warm ones included; no warm kernel is started afterwards.</summary>
    public async Task StopAllAsync()
    {
        var warm = CloseWarm();
        await Task.WhenAll(_kernels.Keys.ToList().Select(StopAsync).Concat(warm.Select(k => k.StopAsync(StopTimeout))));
    }

    public void PublishCounts()
    {
        var byState = _kernels.Values.GroupBy(k => k.State.ToWire()).ToDictionary(g => g.Key, g => g.Count());
        foreach (var state in new[] { "starting", "idle", "busy", "restarting", "dead" })
            LlmSpellMetrics.Kernels.WithLabels(state).Set(byState.GetValueOrDefault(state));
        LlmSpellMetrics.KernelsPrespawned.Set(_warm.Count);
        LlmSpellMetrics.ConnectedClients.Set(_kernels.Values.Sum(k => k.ConnectedClients) + connections.Total);
    }

    public async ValueTask DisposeAsync() => await StopAllAsync();

    private string NewId()
    {
        string id;
        do id = runtime.NextKernelId(); while (_kernels.ContainsKey(id) || _warm.ContainsKey(id));
        return id;
    }

    private string ConnectionFileFor(string id) => Path.Combine(runtime.RuntimeDirectory, $"kernel-{id}.json");

    private KernelStartOptions BaseOptions(string id, string connectionFile, KernelLaunch? launch = null) =>
        KernelOptionsFromConfig.Create(config.Options, id, connectionFile, scripting, launch) with
        {
            Key = runtime.Key,
            UncountedClientPrefix = LlmSpell.Gateway.ChannelsGateway.IdentityPrefix,
        };

    private JupyterKernel StartKernel(KernelStartOptions options, bool warm)
    {
        var kernel = JupyterKernel.Start(options, loggerFactory, observer);
        if (warm) _warm[kernel.Id] = kernel;
        else _kernels[kernel.Id] = kernel;
        if (options.Username is { } user) Log.StartedFor(logger, kernel.Id, user);
        LlmSpellMetrics.KernelsStarted.Inc();
        // A kernel that stops by itself (shutdown_request from a client) leaves the table.
        _ = kernel.Stopped.ContinueWith(_ =>
        {
            if (_kernels.TryGetValue(kernel.Id, out var current) && ReferenceEquals(current, kernel))
            {
                _kernels.TryRemove(kernel.Id, out JupyterKernel? _);
                _handouts.TryRemove(kernel.Id, out Handout? _);
                Log.ShutDownByClient(logger, kernel.Id);
            }
            _warm.TryRemove(new KeyValuePair<string, JupyterKernel>(kernel.Id, kernel));
            PublishCounts();
            PlacesChanged?.Invoke();
        }, TaskScheduler.Default);
        PublishCounts();
        return kernel;
    }

    private sealed record Handout(string? Username, DateTimeOffset At);

    private static partial class Log
    {
        [LoggerMessage(EventId = 2701, Level = LogLevel.Information, Message = "Kernel {KernelId} started for user {Username}")]
        public static partial void StartedFor(ILogger logger, string kernelId, string username);

        [LoggerMessage(EventId = 2700, Level = LogLevel.Information, Message = "Kernel {KernelId} shut down at a client's request")]
        public static partial void ShutDownByClient(ILogger logger, string kernelId);

        [LoggerMessage(EventId = 2702, Level = LogLevel.Information, Message = "Prespawned kernel {KernelId} handed out for user {Username}")]
        public static partial void HandedOutFor(ILogger logger, string kernelId, string username);

        [LoggerMessage(EventId = 2703, Level = LogLevel.Information, Message = "Prespawned kernel {KernelId} handed out")]
        public static partial void HandedOut(ILogger logger, string kernelId);
    }
}

/// <summary>The result of <see cref="KernelManager.Find"/>: the kernel, or the ids an ambiguous prefix matched.</summary>
public sealed record KernelLookup(JupyterKernel? Kernel, IReadOnlyList<string> Ambiguous);

/// <summary>A kernel start refused because the service is at [kernels] max_kernels.</summary>
public sealed class KernelLimitException(string message) : Exception(message);
