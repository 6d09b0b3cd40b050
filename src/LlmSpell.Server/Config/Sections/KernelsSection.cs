namespace LlmSpell.Server.Config;

/// <summary>[kernels]: how many kernels one service hosts, which idle ones it stops, how many it keeps warm.</summary>
public sealed class KernelsSection
{
    /// <summary>
    /// Most kernels at once, the default kernel and warm (prespawned) ones included; a start beyond it is refused
    /// (403). 0 = derived from the socket and file-descriptor limits (see Kernels.KernelCapacity).
    /// </summary>
    public int MaxKernels { get; set; }

    /// <summary>
    /// Seconds without activity after which a kernel is stopped (Jupyter Server's cull_idle_timeout); 0 = never.
    /// The default kernel is never culled.
    /// </summary>
    public int CullIdleTimeout { get; set; }

    /// <summary>Seconds between two checks for idle kernels (Jupyter Server's cull_interval).</summary>
    public int CullInterval { get; set; } = 300;

    /// <summary>Cull kernels that have an open websocket connection too (false: they are spared).</summary>
    public bool CullConnected { get; set; }

    /// <summary>Cull busy kernels too (false: a kernel running code is spared).</summary>
    public bool CullBusy { get; set; }

    /// <summary>Warm kernels kept ready, so POST /api/kernels hands one out at once; 0 = none.</summary>
    public int Prespawn { get; set; }

    /// <summary>
    /// Kernel output one websocket client may fall behind by (megabytes queued for it) before it is dropped, so a
    /// client that stops reading never holds the kernel or the service's memory.
    /// </summary>
    public int WebsocketBufferMb { get; set; } = 64;

    private static readonly SectionKeys<KernelsSection> K = new("kernels", o => o.Kernels);

    internal static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        K.Int("max_kernels", s => s.MaxKernels, (s, v) => s.MaxKernels = v, reload: ReloadEffect.Live,
            check: v => v < 0 ? $"must be 0 (derived from the process limits) or a number of kernels, found {v}" : null),
        // The culler re-reads these on every check, and a reload wakes it.
        K.Int("cull_idle_timeout", s => s.CullIdleTimeout, (s, v) => s.CullIdleTimeout = v, reload: ReloadEffect.Live,
            check: v => v < 0 ? $"must be 0 (never cull) or a number of seconds, found {v}" : null),
        K.Int("cull_interval", s => s.CullInterval, (s, v) => s.CullInterval = v, reload: ReloadEffect.Live,
            check: v => v < 1 ? $"must be a number of seconds of at least 1, found {v}" : null),
        K.Bool("cull_connected", s => s.CullConnected, (s, v) => s.CullConnected = v, reload: ReloadEffect.Live),
        K.Bool("cull_busy", s => s.CullBusy, (s, v) => s.CullBusy = v, reload: ReloadEffect.Live),
        // The pool re-reads it when a reload wakes it (and a reload replaces the warm kernels, started with the old options).
        K.Int("prespawn", s => s.Prespawn, (s, v) => s.Prespawn = v, reload: ReloadEffect.Live,
            check: v => v < 0 ? $"must be 0 (no warm kernels) or a number of kernels, found {v}" : null),
        K.Int("websocket_buffer_mb", s => s.WebsocketBufferMb, (s, v) => s.WebsocketBufferMb = v,
            check: v => v < 1 ? $"must be a number of megabytes of at least 1, found {v}" : null),
    ];

    internal static IEnumerable<(string Key, string Message)> CrossChecks(KernelsSection s)
    {
        if (s.MaxKernels > 0 && s.Prespawn > s.MaxKernels)
            yield return ("kernels:prespawn", $"must be at most max_kernels ({s.MaxKernels}), found {s.Prespawn}: warm kernels count against max_kernels");
    }
}
