using Prometheus;

namespace LlmSpell.Server.Metrics;

/// <summary>The service's own Prometheus metrics: llmspell_ prefix, base units, low-cardinality labels.</summary>
public static class LlmSpellMetrics
{
    // Runs first (field initializers run in order): prometheus-net's EventCounter and Meter adapters export names
    // that `promtool check metrics` rejects (gauges ending in _total/_count), so only process and own metrics remain.
    private static readonly bool DefaultsTrimmed = TrimDefaultMetrics();

    private static bool TrimDefaultMetrics()
    {
        Prometheus.Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions { SuppressEventCounters = true, SuppressMeters = true });
        return true;
    }

    /// <summary>Touch before the first scrape so the defaults are configured before the registry is used.</summary>
    public static bool EnsureConfigured() => DefaultsTrimmed;

    public static readonly Gauge BuildInfo = Prometheus.Metrics.CreateGauge(
        "llmspell_build_info", "Version of the running llmspell service (value is always 1).", "version");

    public static readonly Gauge StartTime = Prometheus.Metrics.CreateGauge(
        "llmspell_start_time_seconds", "Unix time the service started.");

    public static readonly Gauge Kernels = Prometheus.Metrics.CreateGauge(
        "llmspell_kernels", "Kernels hosted by this service, by execution state.", "state");

    public static readonly Counter KernelsStarted = Prometheus.Metrics.CreateCounter(
        "llmspell_kernels_started_total", "Kernels started since the service started.");

    public static readonly Counter KernelsCulled = Prometheus.Metrics.CreateCounter(
        "llmspell_kernels_culled_total", "Kernels stopped by the culler after [kernels] cull_idle_timeout without activity.");

    public static readonly Gauge KernelsPrespawned = Prometheus.Metrics.CreateGauge(
        "llmspell_kernels_prespawned", "Warm kernels ready to be handed out ([kernels] prespawn); not in llmspell_kernels.");

    public static readonly Histogram KernelStart = Prometheus.Metrics.CreateHistogram(
        "llmspell_kernel_start_seconds", "Time from a kernel start request to the kernel being ready, by source (prespawn: a warm kernel handed out; cold: started on request).",
        new HistogramConfiguration { LabelNames = ["source"], Buckets = Histogram.ExponentialBuckets(0.0001, 4, 10) });

    public static readonly Gauge WebsocketConnections = Prometheus.Metrics.CreateGauge(
        "llmspell_websocket_connections", "Open websocket connections to kernels, across all kernels.");

    public static readonly Counter AbandonedStates = Prometheus.Metrics.CreateCounter(
        "llmspell_kernel_abandoned_states_total", "Lua states given up because their thread was stuck in native code past an interrupt and a restart");

    public static readonly Counter Executions = Prometheus.Metrics.CreateCounter(
        "llmspell_executions_total", "Finished execute requests, by status (ok, error, aborted).", "status");

    public static readonly Histogram ExecutionDuration = Prometheus.Metrics.CreateHistogram(
        "llmspell_execution_duration_seconds", "Wall time of execute requests.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 4, 10) });

    public static readonly Counter Messages = Prometheus.Metrics.CreateCounter(
        "llmspell_messages_total", "Accepted Jupyter messages, by channel and message type.", "channel", "msg_type");

    public static readonly Counter MessagesRejected = Prometheus.Metrics.CreateCounter(
        "llmspell_messages_rejected_total", "Dropped Jupyter messages, by channel and reason.", "channel", "reason");

    public static readonly Gauge ConnectedClients = Prometheus.Metrics.CreateGauge(
        "llmspell_connected_clients", "Distinct Jupyter clients seen recently across all kernels.");

    public static readonly Counter ConfigReloads = Prometheus.Metrics.CreateCounter(
        "llmspell_config_reloads_total", "Configuration reloads, by result (ok, invalid).", "result");

    /// <summary>Message types that get their own label value; anything else is counted as "other" to bound cardinality.</summary>
    public static readonly IReadOnlySet<string> KnownMessageTypes = LlmSpell.Kernel.KernelMessageTypes.All;

    public static readonly IReadOnlySet<string> KnownChannels = new HashSet<string>(StringComparer.Ordinal)
    {
        "shell", "control", "stdin", "iopub", "hb",
    };

    public static readonly Counter ClusterForwarded = Prometheus.Metrics.CreateCounter(
        "llmspell_cluster_forwarded_requests_total", "Kernel requests this instance forwarded to (or placed on) another instance, by outcome.",
        new CounterConfiguration { LabelNames = ["outcome"] });

    public static readonly Histogram ClusterForwardSeconds = Prometheus.Metrics.CreateHistogram(
        "llmspell_cluster_forward_seconds", "Time of a forwarded kernel request (for a websocket: the whole connection).",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 4, 10) });

    public static readonly Gauge ClusterPeers = Prometheus.Metrics.CreateGauge(
        "llmspell_cluster_peers", "Cluster peers by state as this instance last saw them.", new GaugeConfiguration { LabelNames = ["state"] });

    public static readonly Gauge ClusterInstance = Prometheus.Metrics.CreateGauge(
        "llmspell_cluster_instance_info", "1, labelled with this instance's id and owner tag (join on it to tell instances apart).",
        new GaugeConfiguration { LabelNames = ["instance_id", "tag"] });
}
