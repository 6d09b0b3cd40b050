using LlmSpell.Service.Daemon;
using LlmSpell.Service.Logging;
using LlmSpell.Service.Native;
using LlmSpell.Service.Tests.Support;

namespace LlmSpell.Service.Tests.Daemon;

[Collection(SerialCollection.Name)]
public class DaemonizerTests
{
    private const string ReportReady = """printf 'READY %s\n' "$$" > "$LLMSPELL_DAEMON_NOTIFY" """;

    [Fact]
    public void Ready_child_runs_detached_in_its_own_session_with_output_in_the_log()
    {
        using var temp = new TempDir();
        var log = temp.Combine("logs", "kernel.log");
        var workDir = Directory.CreateDirectory(temp.Combine("work")).FullName;
        var script = $"""
            echo "args: $*"; echo "cwd: $(pwd)"; echo "child: $LLMSPELL_DAEMON_CHILD"; echo "umask: $(umask)"; echo oops >&2
            {ReportReady}
            exec sleep 30
            """;

        var result = Daemonizer.Launch(new DaemonLaunchRequest
        {
            ExecutablePath = "/bin/sh",
            Arguments = ["-c", script, "llmspell", "kernel", "start", "--daemon", "--port", "9555"],
            LogFile = log,
            WorkingDirectory = workDir,
            Umask = 0b000_111_111,
        });

        try
        {
            Assert.True(result.Success, result.Error);
            Assert.Null(result.Error);
            Assert.Equal(result.Pid, SessionIdOf(result.Pid));
            Assert.Equal("/dev/null", new FileInfo($"/proc/{result.Pid}/fd/0").LinkTarget);
            Assert.Equal(log, new FileInfo($"/proc/{result.Pid}/fd/1").LinkTarget);
            var output = File.ReadAllText(log);
            Assert.Contains("args: kernel start --port 9555", output);
            Assert.Contains($"cwd: {workDir}", output);
            Assert.Contains("child: 1", output);
            Assert.Contains("umask: 0077", output);
            Assert.Contains("oops", output);
            Assert.Equal(LogFileModes.File, File.GetUnixFileMode(log));
            Assert.Equal(LogFileModes.Directory, File.GetUnixFileMode(temp.Combine("logs")));
            Assert.Empty(Directory.GetFiles(temp.Path, "*.notify", SearchOption.AllDirectories));
        }
        finally
        {
            Stop(result.Pid);
        }
    }

    [Fact]
    public void Failed_report_is_returned_as_the_error()
    {
        using var temp = new TempDir();
        var result = Daemonizer.Launch(new DaemonLaunchRequest
        {
            ExecutablePath = "/bin/sh",
            Arguments = ["-c", """printf 'FAILED Address already in use: port 9555\n' > "$LLMSPELL_DAEMON_NOTIFY"; exit 1"""],
            LogFile = temp.Combine("kernel.log"),
        });

        Assert.False(result.Success);
        Assert.Equal("Address already in use: port 9555", result.Error);
        Assert.Equal(1, result.ExitCode);
    }

    [Fact]
    public void Child_dying_silently_reports_exit_code_and_this_runs_log_tail()
    {
        using var temp = new TempDir();
        var log = temp.Combine("kernel.log");
        File.WriteAllText(log, "old run noise\n");

        var result = Daemonizer.Launch(new DaemonLaunchRequest
        {
            ExecutablePath = "/bin/sh",
            Arguments = ["-c", "echo 'fatal: config /etc/llmspell/kernel.toml is invalid' >&2; exit 3"],
            LogFile = log,
        });

        Assert.False(result.Success);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("exited with code 3 before it was ready", result.Error);
        Assert.Contains("fatal: config /etc/llmspell/kernel.toml is invalid", result.Error);
        Assert.DoesNotContain("old run noise", result.Error);
    }

    [Fact]
    public void Silent_child_is_stopped_after_the_timeout()
    {
        using var temp = new TempDir();
        var result = Daemonizer.Launch(new DaemonLaunchRequest
        {
            ExecutablePath = "/bin/sh",
            Arguments = ["-c", "exec sleep 30"],
            LogFile = temp.Combine("kernel.log"),
            ReadyTimeout = TimeSpan.FromMilliseconds(300),
        });

        Assert.False(result.Success);
        Assert.Contains("did not report ready within 0.3 s; it was stopped", result.Error);
        Assert.Equal(128 + 15, result.ExitCode);
        Assert.False(Directory.Exists($"/proc/{result.Pid}"));
    }

    [Fact]
    public void Missing_working_directory_is_a_start_error()
    {
        using var temp = new TempDir();

        var error = Assert.Throws<ServiceStartException>(() => Daemonizer.Launch(new DaemonLaunchRequest
        {
            ExecutablePath = "/bin/sh",
            Arguments = ["-c", "exit 0"],
            WorkingDirectory = temp.Combine("nope"),
        }));

        Assert.Contains(temp.Combine("nope"), error.Message);
    }

    [Fact]
    public void Unstartable_executable_is_a_start_error()
    {
        using var temp = new TempDir();

        var error = Assert.Throws<ServiceStartException>(() => Daemonizer.Launch(new DaemonLaunchRequest
        {
            ExecutablePath = temp.Combine("no-such-binary"),
            LogFile = temp.Combine("kernel.log"),
        }));

        Assert.Contains("no-such-binary", error.Message);
    }

    [Fact]
    public void Daemon_flag_variants_are_removed()
    {
        Assert.Equal(
            ["kernel", "start", "--port", "1"],
            Daemonizer.WithoutDaemonFlag(["kernel", "--daemon", "start", "--daemon=true", "--port", "1"]));
    }

    private static int SessionIdOf(int pid)
    {
        // /proc/PID/stat: "pid (comm) state ppid pgrp session ..."; comm may contain spaces.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[3]);
    }

    private static void Stop(int pid)
    {
        Libc.kill(pid, 9);
        SpinWait.SpinUntil(() => Daemonizer.TryReap(pid, out _), TimeSpan.FromSeconds(5));
    }
}
