namespace LlmSpell.Service.Daemon;

/// <summary>What <see cref="Daemonizer.Launch"/> needs to re-execute the current program as a detached daemon.</summary>
public sealed record DaemonLaunchRequest
{
    /// <summary>Absolute path of the running executable (<see cref="Environment.ProcessPath"/>).</summary>
    public required string ExecutablePath { get; init; }

    /// <summary>The application dll; required only when <see cref="ExecutablePath"/> is the dotnet host.</summary>
    public string? EntryAssemblyPath { get; init; }

    /// <summary>The original command-line arguments; <c>--daemon</c> is removed before re-executing.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>File receiving the child's stdout and stderr (appended). Null sends them to /dev/null.</summary>
    public string? LogFile { get; init; }

    /// <summary>The child's working directory; null keeps the launcher's.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The child's umask (e.g. 0o077); null keeps the launcher's.</summary>
    public int? Umask { get; init; }

    /// <summary>How long to wait for the child's READY/FAILED report.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Stop (SIGTERM, then SIGKILL) a child that did not report in time.</summary>
    public bool KillOnTimeout { get; init; } = true;

    /// <summary>Extra environment variables for the child.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Directory for the handshake file; null uses a fresh private temp directory.</summary>
    public string? NotifyDirectory { get; init; }
}
