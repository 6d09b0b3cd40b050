// Over 300 lines on purpose: launch, readiness wait, failure diagnosis (exit status, log tail) and cleanup of one
// re-executed child are one protocol; split, each half would need the other's private state.
using System.Collections;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using LlmSpell.Service.Native;
using LlmSpell.Service.Processes;

namespace LlmSpell.Service.Daemon;

/// <summary>
/// Implements <c>--daemon</c>: .NET cannot fork, so the launcher re-executes itself in a new session
/// and waits for the child's readiness report (see <see cref="DaemonProtocol"/>).
/// </summary>
public static class Daemonizer
{
    private const int SIGTERM = 15;
    private const int SIGKILL = 9;
    private const int LogTailLines = 20;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(5);

    /// <summary>Starts the daemon child and blocks until it reports READY/FAILED, exits, or times out.</summary>
    /// <exception cref="ServiceStartException">The child could not be started at all (bad log path, working dir...).</exception>
    public static DaemonLaunchResult Launch(DaemonLaunchRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var command = HostCommand.Resolve(request.ExecutablePath, request.EntryAssemblyPath);
        IReadOnlyList<string> argv = [.. command.ToArgv(), .. WithoutDaemonFlag(request.Arguments)];
        var outputPath = PrepareOutput(request.LogFile);
        if (request.WorkingDirectory is not null && !Directory.Exists(request.WorkingDirectory))
        {
            throw new ServiceStartException(
                $"Cannot start the daemon: working directory {request.WorkingDirectory} does not exist");
        }

        var ownsNotifyDir = request.NotifyDirectory is null;
        var notifyDir = request.NotifyDirectory ?? Directory.CreateTempSubdirectory("llmspell-daemon-").FullName;
        var notifyFile = Path.Combine(notifyDir, $"daemon-{Environment.ProcessId}-{Guid.NewGuid():N}.notify");
        try
        {
            var logStart = LogLength(outputPath);
            var environment = BuildEnvironment(request.Environment, notifyFile);
            var pid = SessionSpawner.Spawn(argv, environment, outputPath, request.WorkingDirectory, request.Umask);
            return Await(pid, notifyFile, outputPath, logStart, request);
        }
        finally
        {
            TryDelete(notifyFile);
            TryDelete(notifyFile + ".tmp");
            if (ownsNotifyDir)
            {
                TryDeleteDirectory(notifyDir);
            }
        }
    }

    /// <summary>The arguments with every <c>--daemon</c> / <c>--daemon=...</c> removed.</summary>
    public static IReadOnlyList<string> WithoutDaemonFlag(IEnumerable<string> arguments) =>
        arguments.Where(a => a != DaemonProtocol.DaemonFlag
                             && !a.StartsWith(DaemonProtocol.DaemonFlag + "=", StringComparison.Ordinal))
            .ToList();

    private static DaemonLaunchResult Await(int pid, string notifyFile, string outputPath, long logStart, DaemonLaunchRequest request)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var report = ReadReport(notifyFile);
            if (report is not null)
            {
                return FromReport(pid, report, outputPath, logStart);
            }

            if (TryReap(pid, out var exitCode))
            {
                // The child may have reported just before exiting.
                report = ReadReport(notifyFile);
                return report is not null
                    ? FromReport(pid, report, outputPath, logStart) with { ExitCode = exitCode }
                    : new DaemonLaunchResult
                    {
                        Success = false,
                        Pid = pid,
                        ExitCode = exitCode,
                        Error = $"The daemon (pid {pid}) {DescribeExit(exitCode)} before it was ready."
                                + TailSuffix(outputPath, logStart),
                    };
            }

            if (clock.Elapsed >= request.ReadyTimeout)
            {
                return TimedOut(pid, outputPath, logStart, request);
            }

            Thread.Sleep(PollInterval);
        }
    }

    private static DaemonLaunchResult FromReport(int pid, string report, string outputPath, long logStart)
    {
        if (report.StartsWith(DaemonProtocol.ReadyPrefix, StringComparison.Ordinal)
            && int.TryParse(report.AsSpan(DaemonProtocol.ReadyPrefix.Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var readyPid))
        {
            return new DaemonLaunchResult { Success = true, Pid = readyPid };
        }

        var message = report.StartsWith(DaemonProtocol.FailedPrefix, StringComparison.Ordinal)
            ? report[DaemonProtocol.FailedPrefix.Length..].Trim()
            : $"The daemon sent an unrecognised readiness report: {report.Trim()}";
        var exitCode = WaitForExit(pid, ExitGrace);
        return new DaemonLaunchResult { Success = false, Pid = pid, Error = message, ExitCode = exitCode };
    }

    private static DaemonLaunchResult TimedOut(int pid, string outputPath, long logStart, DaemonLaunchRequest request)
    {
        var seconds = request.ReadyTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var action = "it is still running";
        int? exitCode = null;
        if (request.KillOnTimeout)
        {
            Libc.kill(pid, SIGTERM);
            exitCode = WaitForExit(pid, ExitGrace);
            if (exitCode is null)
            {
                Libc.kill(pid, SIGKILL);
                exitCode = WaitForExit(pid, ExitGrace);
            }

            action = "it was stopped";
        }

        return new DaemonLaunchResult
        {
            Success = false,
            Pid = pid,
            ExitCode = exitCode,
            Error = $"The daemon (pid {pid}) did not report ready within {seconds} s; {action}."
                    + TailSuffix(outputPath, logStart),
        };
    }

    private static string? ReadReport(string notifyFile)
    {
        try
        {
            var text = File.ReadAllText(notifyFile);
            // A writer that is not atomic may be mid-write: wait for the terminating newline.
            return text.EndsWith('\n') ? text.TrimEnd('\n') : null;
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static int? WaitForExit(int pid, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (TryReap(pid, out var exitCode))
            {
                return exitCode;
            }

            Thread.Sleep(PollInterval);
        }

        return null;
    }

    /// <summary>Non-blocking waitpid; exit code is 128+N for signal N, -1 when someone else reaped it.</summary>
    internal static bool TryReap(int pid, out int exitCode)
    {
        exitCode = 0;
        var result = Libc.waitpid(pid, out var status, Libc.WNOHANG);
        if (result == 0)
        {
            return false;
        }

        if (result < 0)
        {
            // ECHILD: not our child any more (already reaped); treat as gone only if it really is.
            exitCode = -1;
            return !ProcessProbe.Exists(pid);
        }

        var signal = status & 0x7f;
        exitCode = signal == 0 ? (status >> 8) & 0xff : 128 + signal;
        return true;
    }

    private static string DescribeExit(int exitCode) => exitCode switch
    {
        -1 => "exited",
        > 128 => $"was killed by signal {exitCode - 128}",
        _ => $"exited with code {exitCode}",
    };

    private static string TailSuffix(string outputPath, long logStart)
    {
        if (outputPath == "/dev/null")
        {
            return " Its output was discarded (no log file).";
        }

        var tail = ReadTail(outputPath, logStart);
        return tail.Length == 0
            ? $" It wrote nothing to {outputPath}."
            : $" Last lines of {outputPath}:{Environment.NewLine}{tail}";
    }

    private static string ReadTail(string path, long start)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var from = Math.Max(start, stream.Length - 8192);
            if (from > stream.Length)
            {
                from = 0;
            }

            stream.Seek(from, SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var lines = reader.ReadToEnd().ReplaceLineEndings("\n").Split('\n').Where(l => l.Length > 0).ToList();
            return string.Join(Environment.NewLine, lines.TakeLast(LogTailLines));
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    private static long LogLength(string path)
    {
        try
        {
            return path == "/dev/null" || !File.Exists(path) ? 0 : new FileInfo(path).Length;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string PrepareOutput(string? logFile)
    {
        if (string.IsNullOrEmpty(logFile))
        {
            return "/dev/null";
        }

        var fullPath = Path.GetFullPath(logFile);
        var directory = Path.GetDirectoryName(fullPath)!;
        try
        {
            if (!Directory.Exists(directory))
            {
                Directory.CreateDirectory(directory, Logging.LogFileModes.Directory);
                File.SetUnixFileMode(directory, Logging.LogFileModes.Directory);
            }

            if (!File.Exists(fullPath))
            {
                // Created here rather than by posix_spawn so the child's umask cannot narrow the guide's 0640.
                using var created = new FileStream(fullPath, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite);
                File.SetUnixFileMode(created.SafeFileHandle, Logging.LogFileModes.File);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ServiceStartException($"Cannot create log directory {directory}: {e.Message}", e);
        }

        return fullPath;
    }

    private static List<string> BuildEnvironment(IReadOnlyDictionary<string, string> extra, string notifyFile)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            variables[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        foreach (var (key, value) in extra)
        {
            variables[key] = value;
        }

        variables[DaemonProtocol.ChildVariable] = "1";
        variables[DaemonProtocol.NotifyVariable] = notifyFile;
        return variables.Select(kv => $"{kv.Key}={kv.Value}").ToList();
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    private static void TryDeleteDirectory(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }
}
