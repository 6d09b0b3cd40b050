namespace LlmSpell.Server.Config;

/// <summary>[kernels]: how many kernels one service hosts.</summary>
public sealed class KernelsSection
{
    /// <summary>
    /// Most kernels at once, the default kernel included; a start beyond it is refused (403). 0 = derived from
    /// the socket and file-descriptor limits (see Kernels.KernelCapacity).
    /// </summary>
    public int MaxKernels { get; set; }

    private static readonly SectionKeys<KernelsSection> K = new("kernels", o => o.Kernels);

    internal static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        K.Int("max_kernels", s => s.MaxKernels, (s, v) => s.MaxKernels = v, reload: ReloadEffect.Live,
            check: v => v < 0 ? $"must be 0 (derived from the process limits) or a number of kernels, found {v}" : null),
    ];
}
