namespace LlmSpell.Server.Config;

/// <summary>
/// The whole service configuration. Each section declares its keys next to its properties (see
/// <see cref="ConfigKey"/>); <see cref="ConfigSchema"/> collects them in the order below.
/// </summary>
public sealed class LlmSpellOptions
{
    public KernelSection Kernel { get; set; } = new();
    public DaemonSection Daemon { get; set; } = new();
    public LoggingSection Logging { get; set; } = new();
    public SecuritySection Security { get; set; } = new();
    public KernelsSection Kernels { get; set; } = new();
    public ProvidersSection Providers { get; set; } = new();
    public ToolsSection Tools { get; set; } = new();
    public StateSection State { get; set; } = new();
    public ClusterSection Cluster { get; set; } = new();

    /// <summary>Every section's keys, in the order the effective configuration is printed.</summary>
    internal static IEnumerable<IReadOnlyList<ConfigKey>> Sections =>
        [KernelSection.Keys, DaemonSection.Keys, LoggingSection.Keys, SecuritySection.Keys, KernelsSection.Keys,
         ProvidersSection.Keys, ToolsSection.Keys, StateSection.Keys, ClusterSection.Keys];

    /// <summary>Checks that involve more than one key: (key path, message).</summary>
    internal static IEnumerable<(string Key, string Message)> CrossChecks(LlmSpellOptions o) =>
        SecuritySection.CrossChecks(o.Security).Concat(ProvidersSection.CrossChecks(o.Providers)).Concat(KernelsSection.CrossChecks(o.Kernels))
            .Concat(StateSection.CrossChecks(o.State)).Concat(ClusterSection.CrossChecks(o.Cluster));
}
