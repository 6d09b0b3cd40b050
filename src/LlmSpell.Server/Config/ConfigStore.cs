namespace LlmSpell.Server.Config;

/// <summary>One change a reload found, and when it takes effect.</summary>
public sealed record ConfigChange(string Key, string? Old, string? New, ReloadEffect Effect)
{
    /// <summary>"live", "new kernels" or "restart required", as the API and the log word it.</summary>
    public string Applied => Effect switch
    {
        ReloadEffect.Live => "live",
        ReloadEffect.NewKernels => "new kernels",
        _ => "restart required",
    };
}

/// <summary>
/// The configuration in force. Reload re-reads every source with the same command-line flags and swaps the
/// options only if the result is valid; otherwise the old configuration stays.
/// </summary>
public sealed class ConfigStore(LoadedConfig initial, ConfigSources sources)
{
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

    /// <summary>Compares the printed values; secrets print redacted, so a changed secret is not listed.</summary>
    public static IEnumerable<ConfigChange> Diff(LlmSpellOptions old, LlmSpellOptions next) =>
        from key in ConfigSchema.KeysOf(next).UnionBy(ConfigSchema.KeysOf(old), k => k.Path)
        let was = key.Format(old)
        let now = key.Format(next)
        where was != now
        select new ConfigChange(key.DisplayName, was, now, key.Reload);
}
