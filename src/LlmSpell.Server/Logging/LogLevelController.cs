using Serilog.Core;
using Serilog.Events;

namespace LlmSpell.Server.Logging;

/// <summary>The live log level: set from [logging] log_level, changed by reload, toggled to debug by SIGUSR2.</summary>
public sealed class LogLevelController(string configuredLevel)
{
    private readonly Lock _gate = new();
    private LogEventLevel _configured = LogLevels.Parse(configuredLevel);
    private bool _debugForced;

    public LoggingLevelSwitch Switch { get; } = new(LogLevels.Parse(configuredLevel));

    public LogEventLevel Effective => Switch.MinimumLevel;

    public bool DebugForced { get { lock (_gate) return _debugForced; } }

    public string EffectiveName => LogLevels.Name(Effective);

    public void SetConfigured(string level)
    {
        lock (_gate)
        {
            _configured = LogLevels.Parse(level);
            Switch.MinimumLevel = _debugForced ? LogEventLevel.Debug : _configured;
        }
    }

    /// <summary>Switches between debug and the configured level; returns the new level.</summary>
    public LogEventLevel ToggleDebug()
    {
        lock (_gate)
        {
            _debugForced = !_debugForced;
            Switch.MinimumLevel = _debugForced ? LogEventLevel.Debug : _configured;
            return Switch.MinimumLevel;
        }
    }
}
