namespace LlmSpell.Service.Daemon;

/// <summary>Outcome of <see cref="Daemonizer.Launch"/>: the CLI exits 0 on success, else prints <see cref="Error"/>.</summary>
public sealed record DaemonLaunchResult
{
    public required bool Success { get; init; }

    /// <summary>The daemon's pid (as reported by it on success, else the spawned pid).</summary>
    public required int Pid { get; init; }

    /// <summary>User-facing cause of the failure, including the tail of the daemon's log when it died.</summary>
    public string? Error { get; init; }

    /// <summary>Exit status of a child that ended before becoming ready (128+N for signal N).</summary>
    public int? ExitCode { get; init; }
}
