namespace LlmSpell.Server.Config;

/// <summary>One change a reload found, and whether it took effect without a restart.</summary>
public sealed record ConfigChange(string Key, string? Old, string? New, string Applied);

/// <summary>
/// The configuration in force. Reload re-reads every source with the same command-line flags and swaps the
/// options only if the result is valid; otherwise the old configuration stays.
/// </summary>
public sealed class ConfigStore(LoadedConfig initial, ConfigSources sources)
{
    private static readonly HashSet<string> LiveKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "logging.log_level", "kernel.idle_timeout", "security.allowed_origins", "security.metrics_require_token",
    };

    private static readonly HashSet<string> NextKernelKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "kernel.execution_timeout", "kernel.memory_limit_mb", "kernel.instruction_limit", "security.allow_unsafe_lua",
    };

    private readonly Lock _gate = new();
    private LoadedConfig _current = initial;

    public LoadedConfig Current { get { lock (_gate) return _current; } }
    public LlmSpellOptions Options => Current.Options;
    public ConfigSources Sources { get; } = sources;
    public DateTimeOffset LastReload { get; private set; } = DateTimeOffset.UtcNow;

    /// <summary>Raised after a successful reload with the new configuration.</summary>
    public event Action<LoadedConfig>? Reloaded;

    /// <summary>Re-reads the configuration. Throws <see cref="ConfigException"/> and keeps the old one when invalid.</summary>
    public IReadOnlyList<ConfigChange> Reload()
    {
        var next = ConfigLoader.Load(Sources);
        List<ConfigChange> changes;
        lock (_gate)
        {
            changes = Diff(_current.Options, next.Options).ToList();
            _current = next;
            LastReload = DateTimeOffset.UtcNow;
        }
        Reloaded?.Invoke(next);
        return changes;
    }

    private static IEnumerable<ConfigChange> Diff(LlmSpellOptions old, LlmSpellOptions next)
    {
        var before = EffectiveConfigPrinter.Flatten(old).SelectMany(s => s.Values.Select(v => ($"{s.Section}.{v.Key}", v.Value))).ToDictionary();
        foreach (var (section, values) in EffectiveConfigPrinter.Flatten(next))
        {
            foreach (var (key, value) in values)
            {
                var name = $"{section}.{key}";
                if (before.TryGetValue(name, out var was) && was == value) continue;
                var applied = LiveKeys.Contains(name) ? "live" : NextKernelKeys.Contains(name) ? "new kernels" : "restart required";
                yield return new ConfigChange(name, was, value, applied);
            }
        }
    }
}
