using LlmSpell.Server.Logging;
using LlmSpell.Server.Metrics;

namespace LlmSpell.Server.Config;

/// <summary>What one reload did: the changes and warnings of the new configuration, or the problems that kept the old one.</summary>
public sealed record ReloadOutcome(
    string? ConfigFile,
    IReadOnlyList<ConfigChange> Changes,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<ConfigProblem>? Problems)
{
    public bool Succeeded => Problems is null;
}

/// <summary>The one reload path, shared by POST /api/reload and SIGHUP: validate, swap, apply live settings, log.</summary>
public sealed partial class ConfigReloader(ConfigStore store, LogLevelController logLevel, ILogger<ConfigReloader> logger)
{
    public ReloadOutcome Reload(string trigger)
    {
        try
        {
            var changes = store.Reload();
            logLevel.SetConfigured(store.Options.Logging.LogLevel);
            LlmSpellMetrics.ConfigReloads.WithLabels("ok").Inc();
            foreach (var change in changes)
                Log.Changed(logger, change.Key, change.Old, change.New, change.Applied);
            Log.Reloaded(logger, trigger, changes.Count);
            var warnings = store.Current.Warnings.Select(w => w.ToString()).ToList();
            foreach (var warning in warnings) Log.Warning(logger, warning);
            return new ReloadOutcome(store.Current.ConfigFile, changes, warnings, null);
        }
        catch (ConfigException e)
        {
            LlmSpellMetrics.ConfigReloads.WithLabels("invalid").Inc();
            Log.Rejected(logger, trigger, Environment.NewLine, string.Join(Environment.NewLine, e.Problems));
            return new ReloadOutcome(store.Current.ConfigFile, [], [], e.Problems);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Configuration {Key} changed from {Old} to {New} ({Applied})")]
        public static partial void Changed(ILogger logger, string key, string? old, string? @new, string applied);

        [LoggerMessage(EventId = 2101, Level = LogLevel.Information, Message = "Configuration reloaded ({Trigger}): {Count} change(s)")]
        public static partial void Reloaded(ILogger logger, string trigger, int count);

        [LoggerMessage(EventId = 2102, Level = LogLevel.Warning, Message = "{ConfigWarning}")]
        public static partial void Warning(ILogger logger, string configWarning);

        [LoggerMessage(EventId = 2103, Level = LogLevel.Error, Message = "Configuration reload ({Trigger}) rejected; keeping the previous configuration:{NewLine}{Problems}")]
        public static partial void Rejected(ILogger logger, string trigger, string newLine, string problems);
    }
}
