using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using LlmSpell.Service.Native;
using LlmSpell.Service.Processes;
using Microsoft.Extensions.Logging;

namespace LlmSpell.Service.Pid;

/// <summary>
/// A PID file guarded by <c>flock(LOCK_EX)</c> on the file's own descriptor, held for the life of
/// this object, so both other kernels and shell tools (<c>flock -n</c>) see it as taken.
/// </summary>
/// <remarks>
/// .NET's own <see cref="FileStream"/> takes a shared flock on open, which fails against our lock:
/// read PID files with <see cref="ReadPid"/>, never <see cref="File.ReadAllText(string)"/>.
/// </remarks>
public sealed partial class PidFile : IDisposable
{
    private const UnixFileMode PidFileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly object _gate = new();
    private int _fd;
    private int? _writtenPid;

    private PidFile(string path, int fd)
    {
        Path = path;
        _fd = fd;
    }

    public string Path { get; }

    /// <summary>Creates/opens the PID file and locks it; the file stays empty until <see cref="WritePid"/>.</summary>
    /// <exception cref="ServiceStartException">Missing directory, no permission, or another kernel holds it.</exception>
    public static PidFile Acquire(string path, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(logger);
        var fullPath = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(fullPath) ?? "/";
        if (!Directory.Exists(directory))
        {
            throw new ServiceStartException(
                $"Cannot create PID file {fullPath}: directory {directory} does not exist " +
                $"(create it, e.g. sudo install -d -m 0755 {directory})");
        }

        // A holder may delete the file between our open and our lock; retrying on a fresh inode
        // prevents two kernels each locking a different file under the same name.
        for (var attempt = 0; ; attempt++)
        {
            var fd = OpenLocked(fullPath, directory);
            if (!IsUnlinkedDescriptor(fd) || attempt >= 5)
            {
                return Claim(fullPath, fd, logger);
            }

            Libc.close(fd);
        }
    }

    /// <summary>The pid stored in <paramref name="path"/>, or null when missing, empty or unparsable.</summary>
    public static int? ReadPid(string path)
    {
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return null;
        }

        try
        {
            return ParsePid(ReadAll(fd));
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>True when some process currently holds the PID file's lock (i.e. a kernel is running).</summary>
    public static bool IsLocked(string path)
    {
        var fd = Libc.open(path, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd < 0)
        {
            return false;
        }

        try
        {
            if (Libc.flock(fd, Libc.LOCK_SH | Libc.LOCK_NB) == 0)
            {
                Libc.flock(fd, Libc.LOCK_UN);
                return false;
            }

            return Marshal.GetLastPInvokeError() == Libc.EWOULDBLOCK;
        }
        finally
        {
            Libc.close(fd);
        }
    }

    /// <summary>Replaces the file content with "<paramref name="pid"/>\n" (mode 0644); call once the kernel is ready.</summary>
    public void WritePid(int pid)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_fd < 0, this);
            var bytes = Encoding.ASCII.GetBytes(pid.ToString(CultureInfo.InvariantCulture) + "\n");
            if (Libc.ftruncate(_fd, 0) != 0
                || Libc.pwrite(_fd, bytes, bytes.Length, 0) != bytes.Length
                || Libc.fsync(_fd) != 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                throw new ServiceStartException($"Cannot write PID file {Path}: {Libc.Describe(errno)}");
            }

            // The daemon runs with a restrictive umask, but `kernel stop` of other users must read it.
            Libc.fchmod(_fd, (int)PidFileMode);
            _writtenPid = pid;
        }
    }

    /// <summary>Deletes the file if it still holds our pid (or is still empty), then releases the lock.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_fd < 0)
            {
                return;
            }

            var content = ParsePid(ReadAll(_fd));
            if (content is null || content == _writtenPid)
            {
                if (!IsUnlinkedDescriptor(_fd))
                {
                    TryDelete(Path);
                }
            }

            Libc.close(_fd);
            _fd = -1;
        }
    }

    private static int OpenLocked(string fullPath, string directory)
    {
        var fd = Libc.open(fullPath, Libc.O_RDWR | Libc.O_CREAT | Libc.O_CLOEXEC | Libc.O_NOFOLLOW, (int)PidFileMode);
        if (fd < 0)
        {
            throw OpenFailure(Marshal.GetLastPInvokeError(), fullPath, directory);
        }

        if (Libc.flock(fd, Libc.LOCK_EX | Libc.LOCK_NB) == 0)
        {
            return fd;
        }

        var errno = Marshal.GetLastPInvokeError();
        var holder = ParsePid(ReadAll(fd));
        Libc.close(fd);
        if (errno != Libc.EWOULDBLOCK)
        {
            throw new ServiceStartException($"Cannot lock PID file {fullPath}: {Libc.Describe(errno)}");
        }

        var who = holder is null ? "pid unknown, still starting" : $"pid {holder}";
        throw new ServiceStartException($"Another llmspell kernel ({who}) already holds {fullPath}");
    }

    private static PidFile Claim(string fullPath, int fd, ILogger logger)
    {
        var stalePid = ParsePid(ReadAll(fd));
        if (stalePid is not null)
        {
            var state = ProcessProbe.Exists(stalePid.Value) ? "is running but does not hold the lock" : "is no longer running";
            Log.ReclaimingStale(logger, fullPath, stalePid.Value, state);
        }

        Libc.ftruncate(fd, 0);
        return new PidFile(fullPath, fd);
    }

    internal static ServiceStartException OpenFailure(int errno, string fullPath, string directory) => errno switch
    {
        Libc.EACCES or Libc.EPERM or Libc.EROFS => new ServiceStartException(
            $"Permission denied: cannot write PID file {fullPath} ({Libc.Describe(errno)}). " +
            $"Run the kernel as a user that may write {directory} (e.g. sudo chown llmspell {directory}), " +
            "or pass --pid-file with a writable location."),
        _ => new ServiceStartException($"Cannot create PID file {fullPath}: {Libc.Describe(errno)}"),
    };

    private static bool IsUnlinkedDescriptor(int fd)
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            var target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
            return target is not null && target.EndsWith(" (deleted)", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static string ReadAll(int fd)
    {
        var buffer = new byte[64];
        var read = Libc.pread(fd, buffer, buffer.Length, 0);
        return read <= 0 ? string.Empty : Encoding.ASCII.GetString(buffer, 0, (int)read);
    }

    private static int? ParsePid(string content) =>
        int.TryParse(content.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && pid > 0 ? pid : null;

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 3000, Level = LogLevel.Warning, Message = "Reclaiming stale PID file {PidFile}: previous owner pid {StalePid} {State}")]
        public static partial void ReclaimingStale(ILogger logger, string pidFile, int stalePid, string state);
    }
}
