using System.Globalization;
using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Service;

/// <summary>The guide's signals sent to a real daemon (or, where the exit code matters, a foreground service).</summary>
public class SignalTests
{
    private static readonly TimeSpan LogWait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task SIGHUP_reloads_the_configuration_and_changes_the_log_level()
    {
        await using var sandbox = new ServiceSandbox();
        var daemon = await sandbox.StartDaemonAsync(configToml: "[logging]\nlog_level = \"info\"\n");
        Assert.Equal("info", await LogLevelAsync(sandbox, daemon));

        File.WriteAllText(daemon.ConfigFile, "[logging]\nlog_level = \"warn\"\n");
        Processes.Signal(daemon.Pid, Processes.SIGHUP);

        await WaitForLogLevelAsync(sandbox, daemon, "warn");
        Assert.True(Processes.IsRunning(daemon.Pid), "SIGHUP killed the daemon");

        // An invalid configuration is refused and the running one kept.
        File.WriteAllText(daemon.ConfigFile, "[logging]\nlog_level = \"warn\"\nmax_size_mb = 0\n");
        Processes.Signal(daemon.Pid, Processes.SIGHUP);
        await ServiceSandbox.UntilFileContainsAsync(daemon.LogFile, "max_size_mb", LogWait);
        Assert.True(Processes.IsRunning(daemon.Pid), "an invalid configuration on SIGHUP killed the daemon");
        Assert.Equal("warn", await LogLevelAsync(sandbox, daemon));
    }

    [Fact]
    public async Task SIGUSR1_writes_statistics_and_reopens_a_log_file_moved_away()
    {
        await using var sandbox = new ServiceSandbox();
        var daemon = await sandbox.StartDaemonAsync();

        Processes.Signal(daemon.Pid, Processes.SIGUSR1);
        await ServiceSandbox.UntilFileContainsAsync(daemon.LogFile, "Statistics (SIGUSR1)", LogWait);
        Check.Contains("uptime", ServiceSandbox.ReadShared(daemon.LogFile), daemon.LogFile);

        // What the guide's logrotate postrotate does: move the file, then SIGUSR1.
        var moved = daemon.LogFile + ".1";
        File.Move(daemon.LogFile, moved);
        Processes.Signal(daemon.Pid, Processes.SIGUSR1);
        await Wait.UntilAsync(() => File.Exists(daemon.LogFile), LogWait,
            $"a new {daemon.LogFile} after SIGUSR1", () => ServiceSandbox.ListDir(sandbox.Dir.Path));
        await ServiceSandbox.UntilFileContainsAsync(daemon.LogFile, "Statistics (SIGUSR1)", LogWait);

        // Later lines go to the new file, not the moved one.
        var movedLength = new FileInfo(moved).Length;
        Processes.Signal(daemon.Pid, Processes.SIGUSR2);
        await ServiceSandbox.UntilFileContainsAsync(daemon.LogFile, "(SIGUSR2)", LogWait);
        var movedText = ServiceSandbox.ReadShared(moved);
        if (movedText.Length != movedLength || movedText.Contains("(SIGUSR2)", StringComparison.Ordinal))
            Assert.Fail($"after SIGUSR1 the service still writes to the moved {moved}; it grew by {movedText.Length - movedLength} bytes:\n" +
                $"{movedText[(int)Math.Min(movedLength, movedText.Length)..]}\n--- new {daemon.LogFile} ---\n{ServiceSandbox.ReadShared(daemon.LogFile)}");
        Assert.True(Processes.IsRunning(daemon.Pid), "SIGUSR1 killed the daemon");
    }

    [Fact]
    public async Task SIGUSR2_toggles_debug_logging_on_and_off()
    {
        await using var sandbox = new ServiceSandbox();
        var daemon = await sandbox.StartDaemonAsync(configToml: "[logging]\nlog_level = \"info\"\n");

        Processes.Signal(daemon.Pid, Processes.SIGUSR2);
        await ServiceSandbox.UntilFileContainsAsync(daemon.LogFile, "Log level is now debug (SIGUSR2)", LogWait);
        await WaitForLogLevelAsync(sandbox, daemon, "debug");

        Processes.Signal(daemon.Pid, Processes.SIGUSR2);
        await ServiceSandbox.UntilFileContainsAsync(daemon.LogFile, "Log level is now info (SIGUSR2)", LogWait);
        await WaitForLogLevelAsync(sandbox, daemon, "info");
        Assert.True(Processes.IsRunning(daemon.Pid), "SIGUSR2 killed the daemon");
    }

    [Fact]
    public async Task SIGTERM_stops_the_daemon_and_removes_its_pid_connection_registry_and_token_files()
    {
        await using var sandbox = new ServiceSandbox();
        var daemon = await sandbox.StartDaemonAsync();
        foreach (var file in new[] { daemon.PidFile, daemon.ConnectionFile, daemon.RegistryFile, daemon.TokenFile })
            Assert.True(File.Exists(file), $"{file} is missing while the daemon runs");

        Processes.Signal(daemon.Pid, Processes.SIGTERM);

        await Processes.AssertExitsAsync(daemon.Pid, ServiceSandbox.ExitTimeout, () => ServiceSandbox.ReadSharedOrEmpty(daemon.LogFile));
        AssertNoFilesLeft(sandbox, daemon.PidFile, daemon.ConnectionFile, daemon.RegistryFile, daemon.TokenFile);
        var log = ServiceSandbox.ReadShared(daemon.LogFile);
        Check.Contains("shutting down", log, log, StringComparison.OrdinalIgnoreCase);
        Check.NoStackTrace(log, log);
    }

    [Theory]
    [InlineData(Processes.SIGTERM)]
    [InlineData(Processes.SIGINT)]
    public async Task A_termination_signal_exits_0_and_removes_every_file_the_service_wrote(int signal)
    {
        await using var sandbox = new ServiceSandbox();
        var pidFile = sandbox.Dir.File("fg.pid");
        await using var service = await ServiceProcess.StartAsync(["--pid-file", pidFile], environment: sandbox.Environment);
        var port = service.Port.ToString(CultureInfo.InvariantCulture);
        var token = Path.Combine(sandbox.RuntimeDir, "token-" + port);
        // The registry entry, like the PID and token files, may land just after /health first answers.
        bool RegistryWritten() => Directory.Exists(sandbox.ServicesDir) && Directory.GetFiles(sandbox.ServicesDir, "*.json").Length == 1;
        await Wait.UntilAsync(() => File.Exists(pidFile) && File.Exists(token) && RegistryWritten(), TimeSpan.FromSeconds(20), "the PID, token and registry files",
            () => $"{ServiceSandbox.ListDir(sandbox.Dir.Path)}\n{ServiceSandbox.ListDir(sandbox.RuntimeDir)}\n{service.Describe()}");
        var registry = Path.Combine(sandbox.ServicesDir, Assert.Single(Directory.GetFiles(sandbox.ServicesDir, "*.json")));
        Assert.Equal($"{service.Pid}\n", ServiceSandbox.ReadShared(pidFile));

        service.SendSignal(signal);

        Assert.Equal(0, await service.WaitForExitAsync(ServiceSandbox.ExitTimeout));
        AssertNoFilesLeft(sandbox, pidFile, service.ConnectionFile, registry, token);
        Check.NoStackTrace(service.Stdout + service.Stderr, service.Describe());
    }

    public static TheoryData<string[]> IgnoringLaunchers => new()
    {
        new[] { "/usr/bin/nohup" }, // ignores SIGHUP
        new[] { "/bin/sh", "-c", "trap '' HUP USR1 USR2; exec \"$0\" \"$@\"" }, // a parent that ignores all three
    };

    [Theory]
    [MemberData(nameof(IgnoringLaunchers))]
    public async Task Signals_work_when_the_launcher_left_them_ignored(string[] launcher)
    {
        await using var sandbox = new ServiceSandbox();
        await using var service = await ServiceProcess.StartAsync(environment: sandbox.Environment, launcher: launcher);
        var output = () => service.Stdout + service.Stderr;
        int Count(string text) => System.Text.RegularExpressions.Regex.Count(output(), System.Text.RegularExpressions.Regex.Escape(text));

        for (var i = 1; i <= 3; i++)
        {
            service.SendSignal(Processes.SIGHUP);
            await Wait.UntilAsync(() => Count("Configuration reloaded (SIGHUP)") >= i, LogWait, $"reload #{i} after SIGHUP", service.Describe);
        }
        service.SendSignal(Processes.SIGUSR1);
        await Wait.UntilAsync(() => Count("Statistics (SIGUSR1)") >= 1, LogWait, "statistics after SIGUSR1", service.Describe);
        service.SendSignal(Processes.SIGUSR2);
        await Wait.UntilAsync(() => Count("(SIGUSR2)") >= 1, LogWait, "the level toggle after SIGUSR2", service.Describe);
        Assert.False(service.HasExited, service.Describe());
    }

    internal static void AssertNoFilesLeft(ServiceSandbox sandbox, params string[] files)
    {
        var left = files.Where(File.Exists).ToList();
        if (left.Count > 0)
            Assert.Fail($"left behind: {string.Join(", ", left)}\n{ServiceSandbox.ListDir(sandbox.Dir.Path)}\n{ServiceSandbox.ListDir(sandbox.RuntimeDir)}\n{ServiceSandbox.ListDir(sandbox.ServicesDir)}");
    }

    /// <summary>The log level `kernel status --json` reports for this daemon (found through the registry).</summary>
    internal static async Task<string?> LogLevelAsync(ServiceSandbox sandbox, Daemon daemon)
    {
        var status = await sandbox.CliAsync("kernel", "status", "--json");
        Check.ExitCode(0, status);
        var entry = Check.Json(status.Stdout, status).EnumerateArray().FirstOrDefault(e => e.GetProperty("record").GetProperty("id").GetString() == daemon.Id);
        if (entry.ValueKind == JsonValueKind.Undefined) Assert.Fail($"service {daemon.Id} is not listed\n{status}");
        return entry.TryGetProperty("service", out var service) && service.ValueKind == JsonValueKind.Object
            ? service.GetProperty("log_level").GetString()
            : null; // not answering the probe this time
    }

    private static async Task WaitForLogLevelAsync(ServiceSandbox sandbox, Daemon daemon, string expected)
    {
        string? last = null;
        await Wait.UntilAsync(async () => (last = await LogLevelAsync(sandbox, daemon)) == expected, LogWait, $"log level \"{expected}\"",
            () => $"log level is \"{last}\"\n--- log ---\n{ServiceSandbox.ReadSharedOrEmpty(daemon.LogFile)}");
    }
}
