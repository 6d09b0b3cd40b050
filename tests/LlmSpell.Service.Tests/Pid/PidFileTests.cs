using LlmSpell.Service.Native;
using LlmSpell.Service.Pid;
using LlmSpell.Service.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace LlmSpell.Service.Tests.Pid;

public class PidFileTests
{
    [Fact]
    public void WritePid_stores_pid_and_newline_with_mode_0644()
    {
        using var temp = new TempDir();
        var path = temp.Combine("kernel.pid");
        using var pidFile = PidFile.Acquire(path, NullLogger.Instance);

        pidFile.WritePid(Environment.ProcessId);

        Assert.Equal($"{Environment.ProcessId}\n", ReadRaw(path));
        Assert.Equal(Environment.ProcessId, PidFile.ReadPid(path));
        Assert.Equal((UnixFileMode)0b110_100_100, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Second_acquire_in_the_same_process_is_refused_with_the_holders_pid()
    {
        using var temp = new TempDir();
        var path = temp.Combine("kernel.pid");
        using var first = PidFile.Acquire(path, NullLogger.Instance);
        first.WritePid(Environment.ProcessId);

        var error = Assert.Throws<ServiceStartException>(() => PidFile.Acquire(path, NullLogger.Instance));

        Assert.Equal($"Another llmspell kernel (pid {Environment.ProcessId}) already holds {path}", error.Message);
        Assert.True(PidFile.IsLocked(path));
    }

    [Fact]
    public void Lock_is_visible_to_the_flock_tool_until_disposed()
    {
        if (!ExternalTool.Require("flock", "util-linux"))
        {
            return;
        }

        using var temp = new TempDir();
        var path = temp.Combine("kernel.pid");
        var pidFile = PidFile.Acquire(path, NullLogger.Instance);
        pidFile.WritePid(Environment.ProcessId);

        Assert.Equal(1, ExternalTool.Run("flock", ["-n", path, "true"]).ExitCode);

        pidFile.Dispose();
        Assert.False(File.Exists(path));
        File.WriteAllText(path, "");
        Assert.Equal(0, ExternalTool.Run("flock", ["-n", path, "true"]).ExitCode);
    }

    [Fact]
    public void Lock_held_by_another_process_is_reported()
    {
        if (!ExternalTool.Require("flock", "util-linux"))
        {
            return;
        }

        using var temp = new TempDir();
        var path = temp.Combine("kernel.pid");
        File.WriteAllText(path, "4242\n");
        var holder = System.Diagnostics.Process.Start("flock", ["-n", path, "sleep", "30"]);
        try
        {
            Assert.True(SpinWait.SpinUntil(() => PidFile.IsLocked(path), TimeSpan.FromSeconds(10)));

            var error = Assert.Throws<ServiceStartException>(() => PidFile.Acquire(path, NullLogger.Instance));

            Assert.Equal($"Another llmspell kernel (pid 4242) already holds {path}", error.Message);
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }
    }

    [Fact]
    public void Stale_pid_file_is_reclaimed_with_a_warning_naming_the_old_pid()
    {
        using var temp = new TempDir();
        var path = temp.Combine("kernel.pid");
        var deadPid = DeadProcess.Pid();
        File.WriteAllText(path, $"{deadPid}\n");
        var logger = new RecordingLogger();

        using var pidFile = PidFile.Acquire(path, logger);
        pidFile.WritePid(Environment.ProcessId);

        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning);
        Assert.Contains($"pid {deadPid}", warning.Message);
        Assert.Contains("no longer running", warning.Message);
        Assert.Equal(Environment.ProcessId, PidFile.ReadPid(path));
    }

    [Fact]
    public void Missing_directory_gives_the_guides_fix()
    {
        using var temp = new TempDir();
        var directory = temp.Combine("missing");
        var path = Path.Combine(directory, "kernel.pid");

        var error = Assert.Throws<ServiceStartException>(() => PidFile.Acquire(path, NullLogger.Instance));

        Assert.Equal(
            $"Cannot create PID file {path}: directory {directory} does not exist (create it, e.g. sudo install -d -m 0755 {directory})",
            error.Message);
    }

    [Fact]
    public void Unwritable_directory_reports_permission_denied()
    {
        using var temp = new TempDir();
        var directory = temp.Combine("locked");
        var path = Path.Combine(directory, "kernel.pid");

        var error = PidFile.OpenFailure(Libc.EACCES, path, directory);

        Assert.StartsWith($"Permission denied: cannot write PID file {path}", error.Message);
        Assert.Contains(directory, error.Message);

        if (Libc.geteuid() != 0)
        {
            // Root bypasses directory permissions, so the real check only runs for regular users.
            Directory.CreateDirectory(directory);
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            var real = Assert.Throws<ServiceStartException>(() => PidFile.Acquire(path, NullLogger.Instance));
            Assert.StartsWith($"Permission denied: cannot write PID file {path}", real.Message);
        }
    }

    [Fact]
    public void Dispose_keeps_a_file_that_now_holds_another_pid()
    {
        using var temp = new TempDir();
        var path = temp.Combine("kernel.pid");
        var pidFile = PidFile.Acquire(path, NullLogger.Instance);
        pidFile.WritePid(Environment.ProcessId);
        File.Delete(path);
        File.WriteAllText(path, "99999\n");

        pidFile.Dispose();

        Assert.Equal("99999\n", File.ReadAllText(path));
    }

    [Fact]
    public void ReadPid_and_IsLocked_handle_missing_files()
    {
        using var temp = new TempDir();

        Assert.Null(PidFile.ReadPid(temp.Combine("none.pid")));
        Assert.False(PidFile.IsLocked(temp.Combine("none.pid")));
    }

    // The file is flock'ed and .NET's File.Read* would take a conflicting shared lock, so read it with cat.
    private static string ReadRaw(string path) => ExternalTool.Run("/bin/cat", [path]).StandardOutput;
}
