namespace LlmSpell.Server.Logging;

/// <summary>The service's log file, if it writes one: SIGUSR1 reopens it after logrotate moved it.</summary>
public sealed class LogFile(RotatingFileSink? sink)
{
    public string? Path => sink?.Path;

    public void Reopen() => sink?.Reopen();
}
