namespace LlmSpell.Server.Config;

/// <summary>[kernels]: how many kernels one service hosts.</summary>
public sealed class KernelsSection
{
    /// <summary>Most kernels at once, the default kernel included; a start beyond it is refused (403).</summary>
    public int MaxKernels { get; set; } = 64;

    private static readonly SectionKeys<KernelsSection> K = new("kernels", o => o.Kernels);

    internal static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        K.Int("max_kernels", s => s.MaxKernels, (s, v) => s.MaxKernels = v, reload: ReloadEffect.Live,
            check: v => v < 1 ? $"must be at least 1 (the default kernel), found {v}" : null),
    ];
}
