using System.Collections.Concurrent;
using LlmSpell.Kernel;
using LlmSpell.Server.Config;
using LlmSpell.Server.Metrics;

namespace LlmSpell.Server.Kernels;

/// <summary>
/// Owns every kernel this service hosts. The default kernel uses the HTTP port + 1..5 (or OS-assigned ports
/// when the HTTP port is 0) and the configured connection file; kernels started later get free ports and their
/// own connection file in the runtime directory.
/// </summary>
public sealed partial class KernelManager(
    ConfigStore config,
    ServiceRuntime runtime,
    KernelMetricsObserver observer,
    LlmSpell.Scripting.ScriptingServices scripting,
    LlmSpell.Gateway.GatewayConnections websockets,
    ILoggerFactory loggerFactory,
    ILogger<KernelManager> logger) : IAsyncDisposable
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, JupyterKernel> _kernels = new(StringComparer.Ordinal);
    private readonly Lock _startGate = new();

    public string DefaultKernelId => runtime.DefaultKernelId;

    public IReadOnlyCollection<JupyterKernel> All => _kernels.Values.OrderBy(k => k.StartedAt).ToList();

    public JupyterKernel? Default => _kernels.GetValueOrDefault(DefaultKernelId);

    /// <summary>The REST model of a kernel, its open websockets counted among its connections.</summary>
    public Api.KernelModel Model(JupyterKernel kernel) => Api.KernelModel.From(kernel, DefaultKernelId, websockets.Count(kernel.Id));

    public bool TryGet(string id, out JupyterKernel kernel) => _kernels.TryGetValue(id, out kernel!);

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
        });
    }

    /// <summary>Starts another kernel on free ports; refused beyond [kernels] max_kernels.</summary>
    public JupyterKernel StartAdditional(KernelLaunch? launch = null)
    {
        launch ??= KernelLaunch.Default;
        lock (_startGate)
        {
            var max = KernelCapacity.Effective(config.Options.Kernels.MaxKernels);
            if (_kernels.Count >= max)
                throw new KernelLimitException($"This service already hosts {_kernels.Count} kernel(s), its limit ([kernels] max_kernels{(config.Options.Kernels.MaxKernels == 0 ? ", derived from the process limits," : "")} = {max}). Stop one (DELETE /api/kernels/{{id}} or `llmspell kernel stop ID`) or raise max_kernels and reload.");
            string id;
            do id = ServiceRuntime.NewKernelId(); while (_kernels.ContainsKey(id));
            try
            {
                return StartKernel(BaseOptions(id, Path.Combine(runtime.RuntimeDirectory, $"kernel-{id}.json"), launch));
            }
            catch (Exception e) when (e is NetMQ.NetMQException or IOException)
            {
                // A max_kernels set above what the process can hold runs out of sockets or descriptors here.
                throw new KernelLimitException($"Could not start another kernel ({e.Message}): the process is out of sockets or file descriptors with {_kernels.Count} kernel(s). Lower [kernels] max_kernels (0 derives a safe limit) or stop a kernel.");
            }
        }
    }

    public async Task<bool> StopAsync(string id)
    {
        if (!_kernels.TryRemove(id, out var kernel)) return false;
        await kernel.StopAsync(StopTimeout);
        PublishCounts();
        return true;
    }

    public async Task StopAllAsync()
    {
        await Task.WhenAll(_kernels.Keys.ToList().Select(StopAsync));
    }

    public void PublishCounts()
    {
        var byState = _kernels.Values.GroupBy(k => k.State.ToWire()).ToDictionary(g => g.Key, g => g.Count());
        foreach (var state in new[] { "starting", "idle", "busy", "restarting", "dead" })
            LlmSpellMetrics.Kernels.WithLabels(state).Set(byState.GetValueOrDefault(state));
        LlmSpellMetrics.ConnectedClients.Set(_kernels.Values.Sum(k => k.ConnectedClients) + websockets.Total);
    }

    public async ValueTask DisposeAsync() => await StopAllAsync();

    private KernelStartOptions BaseOptions(string id, string connectionFile, KernelLaunch? launch = null) =>
        KernelOptionsFromConfig.Create(config.Options, id, connectionFile, scripting, launch) with
        {
            Key = runtime.Key,
            UncountedClientPrefix = LlmSpell.Gateway.ChannelsGateway.IdentityPrefix,
        };

    private JupyterKernel StartKernel(KernelStartOptions options)
    {
        var kernel = JupyterKernel.Start(options, loggerFactory, observer);
        _kernels[kernel.Id] = kernel;
        if (options.Username is { } user) Log.StartedFor(logger, kernel.Id, user);
        LlmSpellMetrics.KernelsStarted.Inc();
        // A kernel that stops by itself (shutdown_request from a client) leaves the table.
        _ = kernel.Stopped.ContinueWith(_ =>
        {
            if (_kernels.TryGetValue(kernel.Id, out var current) && ReferenceEquals(current, kernel))
            {
                _kernels.TryRemove(kernel.Id, out JupyterKernel? _);
                Log.ShutDownByClient(logger, kernel.Id);
            }
            PublishCounts();
        }, TaskScheduler.Default);
        PublishCounts();
        return kernel;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2701, Level = LogLevel.Information, Message = "Kernel {KernelId} started for user {Username}")]
        public static partial void StartedFor(ILogger logger, string kernelId, string username);

        [LoggerMessage(EventId = 2700, Level = LogLevel.Information, Message = "Kernel {KernelId} shut down at a client's request")]
        public static partial void ShutDownByClient(ILogger logger, string kernelId);
    }
}

/// <summary>The result of <see cref="KernelManager.Find"/>: the kernel, or the ids an ambiguous prefix matched.</summary>
public sealed record KernelLookup(JupyterKernel? Kernel, IReadOnlyList<string> Ambiguous);

/// <summary>A kernel start refused because the service is at [kernels] max_kernels.</summary>
public sealed class KernelLimitException(string message) : Exception(message);
