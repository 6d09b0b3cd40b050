using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using LlmSpell.Server.Config;

namespace LlmSpell.Server;

/// <summary>
/// What --dry-run verifies beyond the configuration itself: the ports are free and the directories the service
/// will write to are writable. Nothing is bound or written: ports are checked against the kernel's socket
/// table (/proc/net/tcp*) or by a connect probe, directories with access(2).
/// </summary>
public static partial class PreflightChecks
{
    public static IReadOnlyList<ConfigProblem> Run(LlmSpellOptions options, ServiceRuntime runtime)
    {
        var problems = new List<ConfigProblem>();
        if (options.Kernel.Port != 0)
        {
            foreach (var (name, port) in Kernels.ChannelPorts.All(options.Kernel.Port))
            {
                if (IsPortInUse(port))
                    problems.Add(new ConfigProblem(ProblemSeverity.Error, "kernel.port",
                        $"Address already in use: port {port} ({name}) on {options.Kernel.Ip} is taken; stop the other service or choose another kernel.port (the service needs port..port+5)"));
            }
        }

        CheckWritable(problems, "daemon.pid_file", runtime.PidFile is null ? null : Path.GetDirectoryName(Path.GetFullPath(runtime.PidFile)), "PID file");
        CheckWritable(problems, "logging.log_file", runtime.LogFile is null ? null : Path.GetDirectoryName(Path.GetFullPath(runtime.LogFile)), "log file");
        CheckWritable(problems, "kernel.connection_file", Path.GetDirectoryName(Path.GetFullPath(runtime.DefaultConnectionFile)), "connection file");
        CheckWritable(problems, "daemon.working_dir", options.Daemon.WorkingDir, "working directory", mustExist: true);

        if (options.Security.TlsEnabled)
        {
            foreach (var (key, path) in new[] { ("security.tls_cert", options.Security.TlsCert), ("security.tls_key", options.Security.TlsKey) })
                if (path is not null && !CanRead(path))
                    problems.Add(new ConfigProblem(ProblemSeverity.Error, key, $"{path} does not exist or is not readable"));
        }
        return problems;
    }

    /// <summary>A directory is fine if it is writable, or if it can be created under its nearest existing parent.</summary>
    private static void CheckWritable(List<ConfigProblem> problems, string key, string? directory, string what, bool mustExist = false)
    {
        if (string.IsNullOrEmpty(directory)) return;
        var existing = directory;
        while (!Directory.Exists(existing))
        {
            if (File.Exists(existing))
            {
                problems.Add(new ConfigProblem(ProblemSeverity.Error, key, $"Cannot create the {what} directory {directory}: {existing} is a file, not a directory; choose another path"));
                return;
            }
            if (mustExist)
            {
                problems.Add(new ConfigProblem(ProblemSeverity.Error, key, $"directory {directory} does not exist; create it (e.g. sudo install -d -m 0750 {directory})"));
                return;
            }
            existing = Path.GetDirectoryName(existing);
            if (existing is null) return;
        }
        if (!IsWritable(existing))
        {
            var message = existing == directory
                ? $"Permission denied: the {what} directory {directory} is not writable by this user; fix its ownership (e.g. sudo chown llmspell: {directory}) or choose another path"
                : $"Permission denied: cannot create the {what} directory {directory} because {existing} is not writable; create it first (e.g. sudo install -d -o $USER {directory})";
            problems.Add(new ConfigProblem(ProblemSeverity.Error, key, message));
        }
    }

    private static bool IsWritable(string path) => LlmSpell.Service.Native.Posix.IsWritable(path);

    private static bool CanRead(string path) => LlmSpell.Service.Native.Posix.CanRead(path);

    public static bool IsPortInUse(int port)
    {
        var tables = new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists).ToList();
        if (tables.Count == 0) return ConnectProbe(port);
        foreach (var table in tables)
        {
            foreach (var line in File.ReadLines(table).Skip(1))
            {
                // "  0: 0100007F:2553 00000000:0000 0A ..." — local address:port in hex, state 0A = LISTEN.
                var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length < 4 || fields[3] != "0A") continue;
                var local = fields[1];
                var hexPort = local[(local.LastIndexOf(':') + 1)..];
                if (int.Parse(hexPort, NumberStyles.HexNumber, CultureInfo.InvariantCulture) == port) return true;
            }
        }
        return false;
    }

    private static bool ConnectProbe(int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(IPAddress.Loopback, port).Wait(TimeSpan.FromMilliseconds(300)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
    }
}
