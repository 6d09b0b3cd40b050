namespace LlmSpell.Server.Config;

/// <summary>[daemon]: how `kernel start --daemon` detaches.</summary>
public sealed class DaemonSection
{
    public bool Daemonize { get; set; }
    public string? PidFile { get; set; }
    public string? WorkingDir { get; set; }
    /// <summary>File creation mask, usually written in octal (0o077).</summary>
    public int Umask { get; set; } = 0b000_111_111;

    private static readonly SectionKeys<DaemonSection> K = new("daemon", o => o.Daemon);

    internal static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        K.Bool("daemonize", s => s.Daemonize, (s, v) => s.Daemonize = v,
            flag: new("--daemon", "Detach into the background once ready (PID file, log file, new session)", Alias: "-d")),
        K.Str("pid_file", s => s.PidFile, (s, v) => s.PidFile = v,
            flag: new("--pid-file", "PID file, locked while running", IsPath: true)),
        K.Str("working_dir", s => s.WorkingDir, (s, v) => s.WorkingDir = v),
        K.Int("umask", s => s.Umask, (s, v) => s.Umask = v,
            check: v => v is < 0 or > 0x1FF ? $"must be an octal mode between 0o000 and 0o777, found {v}" : null,
            format: v => "0o" + Convert.ToString(v, 8).PadLeft(3, '0')),
    ];
}
