using LlmSpell.Server.Logging;
using LlmSpell.Service.Logging;

namespace LlmSpell.Server.Config;

/// <summary>[logging]: level, format, file and size-based rotation.</summary>
public sealed class LoggingSection
{
    public string? LogFile { get; set; }
    public string LogLevel { get; set; } = "info";

    /// <summary>"text" (lines for people, on stderr) or "json" (one compact JSON object per line, on stdout, for log collectors).</summary>
    public string Format { get; set; } = "text";

    public bool IsJson => Format == "json";
    public int MaxSizeMb { get; set; } = 100;
    public int MaxBackups { get; set; } = 5;
    public bool Compress { get; set; } = true;

    /// <summary>The rotation settings for <paramref name="path"/>.</summary>
    public RotatingLogOptions RotationFor(string path) => RotatingLogOptions.FromMegabytes(path, MaxSizeMb, MaxBackups, Compress);

    private static readonly SectionKeys<LoggingSection> K = new("logging", o => o.Logging);

    internal static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        K.Str("log_file", s => s.LogFile, (s, v) => s.LogFile = v,
            flag: new("--log-file", "Log file, rotated by size", IsPath: true)),
        K.Str("log_level", s => s.LogLevel, (s, v) => s.LogLevel = v!, reload: ReloadEffect.Live,
            check: v => LogLevels.TryParse(v, out _) ? null : $"must be one of {LogLevels.Documented}; found \"{v}\"",
            flag: new("--log-level", LogLevels.Documented.Replace(", fatal", " or fatal", StringComparison.Ordinal))),
        K.Str("format", s => s.Format, (s, v) => s.Format = v ?? "text",
            check: v => v is "text" or "json" ? null : $"must be \"text\" or \"json\", found \"{v}\""),
        K.Int("max_size_mb", s => s.MaxSizeMb, (s, v) => s.MaxSizeMb = v,
            check: v => v < 1 ? $"must be at least 1, found {v}" : null),
        K.Int("max_backups", s => s.MaxBackups, (s, v) => s.MaxBackups = v,
            check: v => v < 0 ? $"must be 0 or more, found {v}" : null),
        K.Bool("compress", s => s.Compress, (s, v) => s.Compress = v),
    ];
}
