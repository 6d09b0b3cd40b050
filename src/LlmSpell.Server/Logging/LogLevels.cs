using Serilog.Events;

namespace LlmSpell.Server.Logging;

/// <summary>The one log-level vocabulary of [logging] log_level, --log-level and the logs themselves.</summary>
public static class LogLevels
{
    public const string Documented = "trace, debug, info, warn, error, fatal";

    private static readonly Dictionary<string, LogEventLevel> ByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["trace"] = LogEventLevel.Verbose,
        ["debug"] = LogEventLevel.Debug,
        ["info"] = LogEventLevel.Information,
        ["information"] = LogEventLevel.Information,
        ["warn"] = LogEventLevel.Warning,
        ["warning"] = LogEventLevel.Warning,
        ["error"] = LogEventLevel.Error,
        ["fatal"] = LogEventLevel.Fatal,
        ["critical"] = LogEventLevel.Fatal,
    };

    public static bool TryParse(string name, out LogEventLevel level) => ByName.TryGetValue(name, out level);

    /// <summary>A validated name's level; unknown names mean info.</summary>
    public static LogEventLevel Parse(string name) => TryParse(name, out var level) ? level : LogEventLevel.Information;

    public static LogLevel ToMicrosoft(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => LogLevel.Trace,
        LogEventLevel.Debug => LogLevel.Debug,
        LogEventLevel.Warning => LogLevel.Warning,
        LogEventLevel.Error => LogLevel.Error,
        LogEventLevel.Fatal => LogLevel.Critical,
        _ => LogLevel.Information,
    };

    public static string Name(LogEventLevel level) => level switch
    {
        LogEventLevel.Verbose => "trace",
        LogEventLevel.Debug => "debug",
        LogEventLevel.Warning => "warn",
        LogEventLevel.Error => "error",
        LogEventLevel.Fatal => "fatal",
        _ => "info",
    };
}
