using LlmSpell.Server.Config;
using LlmSpell.Server.Logging;
using LlmSpell.Server.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Serilog.Events;

namespace LlmSpell.Server.Tests.Config;

public class ConfigReloaderTests
{
    [Fact]
    public void Reload_applies_the_log_level_live_and_reports_changes()
    {
        using var dir = new TempDir();
        var file = dir.Write("kernel.toml", "[logging]\nlog_level = \"info\"\n[kernel]\nport = 9555\n");
        var sources = new ConfigSources { ConfigPath = file, Environment = new Dictionary<string, string?>(), AppSettingsDirectory = dir.Path };
        var store = new ConfigStore(ConfigLoader.Load(sources), sources);
        var level = new LogLevelController("info");
        var reloader = new ConfigReloader(store, level, NullLogger<ConfigReloader>.Instance);

        File.WriteAllText(file, "[logging]\nlog_level = \"debug\"\n[kernel]\nport = 9600\n");
        var outcome = reloader.Reload("test");

        Assert.Null(outcome.Problems);
        Assert.Equal(LogEventLevel.Debug, level.Effective);
        Assert.Contains(outcome.Changes, c => c.Key == "logging.log_level" && c.Applied == "live" && c.New == "\"debug\"");
        Assert.Contains(outcome.Changes, c => c.Key == "kernel.port" && c.Applied == "restart required");
    }

    [Fact]
    public void Invalid_file_is_rejected_and_the_old_configuration_stays()
    {
        using var dir = new TempDir();
        var file = dir.Write("kernel.toml", "[logging]\nlog_level = \"warn\"\n");
        var sources = new ConfigSources { ConfigPath = file, Environment = new Dictionary<string, string?>(), AppSettingsDirectory = dir.Path };
        var store = new ConfigStore(ConfigLoader.Load(sources), sources);
        var level = new LogLevelController("warn");
        var reloader = new ConfigReloader(store, level, NullLogger<ConfigReloader>.Instance);

        File.WriteAllText(file, "[logging]\nlog_level = 5\n");
        var outcome = reloader.Reload("test");

        Assert.NotNull(outcome.Problems);
        Assert.Contains(outcome.Problems!, p => p.Key == "logging.log_level" && p.Location!.Line == 2);
        Assert.Equal("warn", store.Options.Logging.LogLevel);
        Assert.Equal(LogEventLevel.Warning, level.Effective);
    }

    [Fact]
    public void Debug_toggle_survives_a_reload_and_toggles_back_to_the_configured_level()
    {
        var level = new LogLevelController("warn");
        Assert.Equal(LogEventLevel.Debug, level.ToggleDebug());
        level.SetConfigured("error");
        Assert.Equal(LogEventLevel.Debug, level.Effective);
        Assert.Equal(LogEventLevel.Error, level.ToggleDebug());
    }
}
