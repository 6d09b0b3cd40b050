using LlmSpell.Server.Api;
using LlmSpell.Server.Logging;
using LlmSpell.Server.Metrics;

namespace LlmSpell.Server.Config;

public sealed record ReloadOutcome(ReloadResult? Result, IReadOnlyList<ConfigProblem>? Problems);

/// <summary>The one reload path, shared by POST /api/reload and SIGHUP: validate, swap, apply live settings, log.</summary>
public sealed class ConfigReloader(ConfigStore store, LogLevelController logLevel, ILogger<ConfigReloader> logger)
{
    public ReloadOutcome Reload(string trigger)
    {
        try
        {
            var changes = store.Reload();
            logLevel.SetConfigured(store.Options.Logging.LogLevel);
            LlmSpellMetrics.ConfigReloads.WithLabels("ok").Inc();
            foreach (var change in changes)
                logger.LogInformation("Configuration {Key} changed from {Old} to {New} ({Applied})", change.Key, change.Old, change.New, change.Applied);
            logger.LogInformation("Configuration reloaded ({Trigger}): {Count} change(s)", trigger, changes.Count);
            var warnings = store.Current.Warnings.Select(w => w.ToString()).ToList();
            foreach (var warning in warnings) logger.LogWarning("{ConfigWarning}", warning);
            return new ReloadOutcome(new ReloadResult(store.Current.ConfigFile,
                changes.Select(c => new ConfigChangeModel(c.Key, c.Old, c.New, c.Applied)).ToList(), warnings), null);
        }
        catch (ConfigException e)
        {
            LlmSpellMetrics.ConfigReloads.WithLabels("invalid").Inc();
            logger.LogError("Configuration reload ({Trigger}) rejected; keeping the previous configuration:{NewLine}{Problems}",
                trigger, Environment.NewLine, string.Join(Environment.NewLine, e.Problems));
            return new ReloadOutcome(null, e.Problems);
        }
    }
}
