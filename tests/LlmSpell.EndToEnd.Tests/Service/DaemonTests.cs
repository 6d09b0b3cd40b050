using System.Globalization;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Service;

/// <summary>`kernel start --daemon`: detaching, readiness, the PID file and its lock, refusals, stale PID files.</summary>
public class DaemonTests
{
    [Fact]
    public async Task Daemon_start_returns_once_ready_with_a_locked_pid_file_a_registry_record_and_a_detached_session()
    {
        await using var sandbox = new ServiceSandbox();
        var work = Directory.CreateDirectory(sandbox.Dir.File("work")).FullName;
        var daemon = await sandbox.StartDaemonAsync(configToml: $"[daemon]\nworking_dir = \"{work}\"\n");
        var context = () => $"{daemon.Launch}\n--- log ---\n{ServiceSandbox.ReadSharedOrEmpty(daemon.LogFile)}";

        // The launcher announces the files it was given and returns only when the service answers.
        Check.Contains($"PID file {daemon.PidFile}, log {daemon.LogFile}", daemon.Launch.Stdout, context());
        Assert.True(Processes.IsRunning(daemon.Pid), "the daemon is not running after the launcher returned\n" + context());
        Assert.True(await ServiceSandbox.IsHealthyAsync(daemon), "GET /health did not answer 200 right after the launcher returned\n" + context());
        Assert.True(File.Exists(daemon.ConnectionFile), "no connection file once ready\n" + context());
        Assert.True(File.Exists(daemon.TokenFile), "no token file once ready\n" + context());
        Assert.Equal($"{daemon.Pid}\n", ServiceSandbox.ReadShared(daemon.PidFile));

        var record = sandbox.FindRecord(daemon.Pid)!.Value.Record;
        Assert.Equal(daemon.PidFile, record.GetProperty("pid_file").GetString());
        Assert.Equal(daemon.LogFile, record.GetProperty("log_file").GetString());
        Assert.Equal(daemon.ConnectionFile, record.GetProperty("connection_file").GetString());

        // The PID file is held with an exclusive lock: util-linux flock cannot take it.
        var flock = await ProcessRunner.RunAsync(RequiredTool.Find("flock", "util-linux"), ["--nonblock", "--conflict-exit-code", "75", daemon.PidFile, "true"]);
        Assert.True(flock.ExitCode == 75, $"flock could take the PID file's lock while the daemon runs\n{flock}");

        // Detached: its own session, stdin from /dev/null, output to the log file, umask 0077, working_dir.
        var proc = $"/proc/{daemon.Pid.ToString(CultureInfo.InvariantCulture)}";
        var stat = Processes.StatFields(File.ReadAllText($"{proc}/stat"));
        Assert.True(stat[3] == daemon.Pid.ToString(CultureInfo.InvariantCulture), $"the daemon is not a session leader (session {stat[3]}, pid {daemon.Pid})");
        Assert.Equal("/dev/null", new FileInfo($"{proc}/fd/0").LinkTarget);
        Assert.Equal(daemon.LogFile, new FileInfo($"{proc}/fd/1").LinkTarget);
        Assert.Equal(daemon.LogFile, new FileInfo($"{proc}/fd/2").LinkTarget);
        Check.Contains("Umask:\t0077", File.ReadAllText($"{proc}/status"), File.ReadAllText($"{proc}/status"));
        Assert.Equal(work, new DirectoryInfo($"{proc}/cwd").LinkTarget);
    }

    [Fact]
    public async Task A_second_daemon_with_the_same_pid_file_is_refused_and_the_first_keeps_running()
    {
        await using var sandbox = new ServiceSandbox();
        var first = await sandbox.StartDaemonAsync("first");
        File.WriteAllText(sandbox.Dir.File("second.toml"), "");

        var second = await sandbox.CliAsync(sandbox.DaemonArgs("second", pidFile: first.PidFile));

        Assert.True(second.ExitCode != 0, "a second daemon with the same PID file started\n" + second);
        Check.Contains($"Another llmspell kernel (pid {first.Pid}) already holds {first.PidFile}", second.Output, second);
        Check.NoStackTrace(second.Output, second);
        Assert.True(Processes.IsRunning(first.Pid), "the first daemon died\n" + second);
        Assert.Equal($"{first.Pid}\n", ServiceSandbox.ReadShared(first.PidFile));
        Assert.True(await ServiceSandbox.IsHealthyAsync(first), "the first daemon stopped answering");
        Assert.Single(Directory.GetFiles(sandbox.ServicesDir, "*.json"));
    }

    [Fact]
    public async Task A_second_daemon_on_the_same_port_reports_address_already_in_use()
    {
        await using var sandbox = new ServiceSandbox();
        var first = await sandbox.StartDaemonAsync("first");
        File.WriteAllText(sandbox.Dir.File("second.toml"), "");

        var second = await sandbox.CliAsync(sandbox.DaemonArgs("second", port: first.Port.ToString(CultureInfo.InvariantCulture)));

        Assert.True(second.ExitCode != 0, "a second daemon on the same port started\n" + second);
        Check.Contains("Address already in use", second.Output, second);
        Check.NoStackTrace(second.Output, second);
        // The refused child cleans up after itself (it may still be exiting when the launcher returns).
        await Wait.UntilAsync(() => !File.Exists(sandbox.Dir.File("second.pid")), TimeSpan.FromSeconds(10),
            $"the refused daemon to remove its PID file {sandbox.Dir.File("second.pid")}", () => second.ToString());
        Assert.True(Processes.IsRunning(first.Pid), "the first daemon died\n" + second);
    }

    [Fact]
    public async Task A_missing_pid_directory_fails_the_launcher_with_the_directory_named()
    {
        await using var sandbox = new ServiceSandbox();
        var missing = sandbox.Dir.File("no-such-dir");
        var pidFile = Path.Combine(missing, "kernel.pid");
        File.WriteAllText(sandbox.Dir.File("kernel.toml"), "");

        var launch = await sandbox.CliAsync(sandbox.DaemonArgs("kernel", pidFile: pidFile));

        Assert.True(launch.ExitCode != 0, "the daemon started without its PID directory\n" + launch);
        Check.Contains($"Cannot create PID file {pidFile}", launch.Output, launch);
        Check.Contains($"directory {missing} does not exist", launch.Output, launch);
        Check.NoStackTrace(launch.Output, launch);
        Assert.False(Directory.Exists(missing), "the launcher created the missing PID directory");
        Assert.Empty(Directory.Exists(sandbox.ServicesDir) ? Directory.GetFiles(sandbox.ServicesDir) : []);
    }

    public static TheoryData<string> StaleOwners => new() { "dead", "alive-without-lock" };

    [Theory]
    [MemberData(nameof(StaleOwners))]
    public async Task A_stale_pid_file_is_reclaimed_with_a_warning_in_the_log(string owner)
    {
        await using var sandbox = new ServiceSandbox();
        int stalePid;
        if (owner == "dead")
        {
            // A pid that certainly names no process: a child that has exited and been reaped.
            var child = await ProcessRunner.RunAsync("/bin/sh", ["-c", "echo $$"]);
            stalePid = int.Parse(child.Stdout.Trim(), CultureInfo.InvariantCulture);
            Assert.False(Processes.IsRunning(stalePid));
        }
        else
        {
            stalePid = System.Environment.ProcessId; // alive, but holds no lock on the file
        }
        var pidFile = sandbox.Dir.File("kernel.pid");
        File.WriteAllText(pidFile, $"{stalePid}\n");

        var daemon = await sandbox.StartDaemonAsync();

        Assert.Equal($"{daemon.Pid}\n", ServiceSandbox.ReadShared(pidFile));
        var expected = owner == "dead" ? "is no longer running" : "is running but does not hold the lock";
        await ServiceSandbox.UntilFileContainsAsync(daemon.LogFile, $"Reclaiming stale PID file {pidFile}: previous owner pid {stalePid} {expected}");
        var log = ServiceSandbox.ReadShared(daemon.LogFile);
        Check.Contains("[WARN]", log.Split('\n').First(l => l.Contains("Reclaiming stale PID file", StringComparison.Ordinal)), log);
    }
}
