using System.Text;

namespace LlmSpell.Service.Install;

/// <summary>Builds the /etc/logrotate.d entry from the deployment guide.</summary>
public static class LogrotateConfigGenerator
{
    public const string DefaultDirectory = "/etc/logrotate.d";

    /// <remarks>
    /// postrotate sends SIGUSR1: the host must answer it by calling <see cref="Logging.RotatingLogFile.Reopen"/>,
    /// otherwise the kernel keeps writing to the rotated file.
    /// </remarks>
    public static string Generate(string logDir, string pidFile, string user, string? group = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDir);
        ArgumentException.ThrowIfNullOrEmpty(pidFile);
        ArgumentException.ThrowIfNullOrEmpty(user);
        group ??= user;
        var pattern = Path.Combine(Path.GetFullPath(logDir), "*.log");
        var config = new StringBuilder();
        config.AppendLine($"{Quote(pattern)} {{");
        config.AppendLine("    daily");
        config.AppendLine("    rotate 7");
        config.AppendLine("    compress");
        config.AppendLine("    delaycompress");
        config.AppendLine("    missingok");
        config.AppendLine("    notifempty");

        // The log directory belongs to the service user; rotating as that user avoids symlink tricks.
        if (user != "root")
        {
            config.AppendLine($"    su {user} {group}");
        }

        config.AppendLine($"    create 0640 {user} {group}");
        config.AppendLine("    postrotate");
        config.AppendLine($"        kill -USR1 $(cat {ShellQuote(Path.GetFullPath(pidFile))}) 2>/dev/null || true");
        config.AppendLine("    endscript");
        config.AppendLine("}");
        return config.ToString();
    }

    public static string ConfigPath(string name, string directory = DefaultDirectory) => Path.Combine(directory, name);

    private static string Quote(string path) =>
        path.Any(char.IsWhiteSpace) ? $"\"{path}\"" : path;

    private static string ShellQuote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_')
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
