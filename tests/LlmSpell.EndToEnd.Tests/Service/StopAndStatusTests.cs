using System.Globalization;
using System.Net;
using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Service;

/// <summary>`kernel stop` by PID file, by id and --all; `kernel status` over the registry; idle_timeout.</summary>
public class StopAndStatusTests
{
    [Fact]
    public async Task Stop_by_pid_file_sends_SIGTERM_waits_for_the_exit_and_leaves_no_files()
    {
        await using var sandbox = new ServiceSandbox();
        var daemon = await sandbox.StartDaemonAsync();

        var stop = await sandbox.CliAsync("kernel", "stop", "--pid-file", daemon.PidFile, "--timeout", "30");

        Check.ExitCode(0, stop);
        Check.Contains($"Stopped pid {daemon.Pid}.", stop.Stdout, stop);
        Assert.False(Processes.IsRunning(daemon.Pid), "`kernel stop --pid-file` returned while the daemon still runs\n" + stop);
        SignalTests.AssertNoFilesLeft(sandbox, daemon.PidFile, daemon.ConnectionFile, daemon.RegistryFile, daemon.TokenFile);
        Check.NoStackTrace(stop.Output, stop);
    }

    [Fact]
    public async Task Stop_by_pid_file_with_force_kills_and_status_then_cleans_the_dead_record()
    {
        await using var sandbox = new ServiceSandbox();
        var daemon = await sandbox.StartDaemonAsync();

        var stop = await sandbox.CliAsync("kernel", "stop", "--pid-file", daemon.PidFile, "--force");

        Check.ExitCode(0, stop);
        Check.Contains($"Killed pid {daemon.Pid} (SIGKILL)", stop.Stdout, stop);
        await Processes.AssertExitsAsync(daemon.Pid, TimeSpan.FromSeconds(10), () => stop.ToString());
        Assert.False(File.Exists(daemon.PidFile), "the PID file of the killed daemon is left\n" + stop);

        // The killed process could not remove its registry record: status drops it and deletes the file.
        Assert.True(File.Exists(daemon.RegistryFile), "expected the SIGKILLed daemon's registry record to remain until status runs");
        // Nothing left running: status says so with the LSB "not running" code 3.
        var status = await sandbox.CliAsync("kernel", "status", "--json");
        Check.ExitCode(3, status);
        Check.Contains("No llmspell service is running", status.Stderr, status);
        Assert.False(File.Exists(daemon.RegistryFile), "status did not clean the dead registry record\n" + status);
    }

    [Fact]
    public async Task Stop_by_pid_file_of_a_dead_process_reports_a_stale_file_and_exits_0()
    {
        await using var sandbox = new ServiceSandbox();
        var child = await ProcessRunner.RunAsync("/bin/sh", ["-c", "echo $$"]);
        var pidFile = sandbox.Dir.File("stale.pid");
        File.WriteAllText(pidFile, child.Stdout);

        var stop = await sandbox.CliAsync("kernel", "stop", "--pid-file", pidFile);

        Check.ExitCode(0, stop);
        Check.Contains("not running", stop.Stdout, stop);
        Check.NoStackTrace(stop.Output, stop);
    }

    [Fact]
    public async Task Stop_by_service_id_and_by_kernel_id_through_the_registry()
    {
        await using var sandbox = new ServiceSandbox();
        var daemon = await sandbox.StartDaemonAsync(extraArgs: ["--id", "svc-e2e-stop"]);
        Assert.Equal("svc-e2e-stop", daemon.Id);

        // An extra kernel in that service, created over REST with the token the service wrote for local clients.
        using var create = new HttpRequestMessage(HttpMethod.Post, new Uri(daemon.BaseUrl, "/api/kernels"));
        create.Headers.TryAddWithoutValidation("Authorization", "token " + ServiceSandbox.ReadShared(daemon.TokenFile).Trim());
        using var created = await ServiceSandbox.SendAsync(create);
        var body = await created.Content.ReadAsStringAsync();
        Assert.True(created.StatusCode == HttpStatusCode.Created, $"POST /api/kernels answered {(int)created.StatusCode}: {body}");
        var kernelId = Check.Json(body, body).GetProperty("id").GetString()!;

        Assert.True(Guid.TryParse(kernelId, out _), $"kernel ids are UUIDs (Jupyter Server's routes need them): {kernelId}");
        var before = await KernelIdsAsync(sandbox, daemon);
        var defaultKernel = Assert.Single(before, k => k != kernelId);

        // A short unique prefix, as `llmspell kernel stop abc123` in the guide (and docker's ids).
        var stopKernel = await sandbox.CliAsync("kernel", "stop", kernelId[..8]);
        Check.ExitCode(0, stopKernel);
        Check.Contains(kernelId, stopKernel.Stdout, stopKernel);
        Assert.True(Processes.IsRunning(daemon.Pid), "stopping one kernel stopped its service\n" + stopKernel);
        var kernels = await KernelIdsAsync(sandbox, daemon);
        Assert.DoesNotContain(kernelId, kernels);
        Assert.Contains(defaultKernel, kernels);

        var stopService = await sandbox.CliAsync("kernel", "stop", "svc-e2e-stop");
        Check.ExitCode(0, stopService);
        Assert.False(Processes.IsRunning(daemon.Pid), "`kernel stop ID` returned while the service still runs\n" + stopService);
        SignalTests.AssertNoFilesLeft(sandbox, daemon.PidFile, daemon.ConnectionFile, daemon.RegistryFile, daemon.TokenFile);

        var unknown = await sandbox.CliAsync("kernel", "stop", "no-such-id");
        Assert.True(unknown.ExitCode != 0, unknown.ToString());
        Check.Contains("no-such-id", unknown.Stderr, unknown);
        Check.NoStackTrace(unknown.Output, unknown);
    }

    [Fact]
    public async Task Status_lists_every_registered_service_and_stop_all_stops_them_all()
    {
        await using var sandbox = new ServiceSandbox();
        var first = await sandbox.StartDaemonAsync("first");
        var second = await sandbox.StartDaemonAsync("second");

        // A record left by a process that died without cleaning up: status must drop it.
        var dead = await ProcessRunner.RunAsync("/bin/sh", ["-c", "echo $$"]);
        var deadRecord = Path.Combine(sandbox.ServicesDir, "dead-e2e.json");
        File.WriteAllText(deadRecord, JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["id"] = "dead-e2e", ["pid"] = int.Parse(dead.Stdout.Trim(), CultureInfo.InvariantCulture), ["port"] = Ports.FreePort(),
            ["started"] = DateTimeOffset.UtcNow.AddMinutes(-5), ["version"] = "0.9.0",
        }));

        JsonElement listing = default;
        ProcessResult? status = null;
        await Wait.UntilAsync(async () =>
        {
            status = await sandbox.CliAsync("kernel", "status", "--json");
            Check.ExitCode(0, status);
            listing = Check.Json(status.Stdout, status);
            // The probe has a short timeout; on a loaded machine the first one may miss.
            return listing.EnumerateArray().All(e => e.GetProperty("health").GetString() == "healthy");
        }, TimeSpan.FromSeconds(30), "every service to be healthy", () => $"{status}");

        Assert.Equal(2, listing.GetArrayLength());
        foreach (var daemon in new[] { first, second })
        {
            var entry = listing.EnumerateArray().Single(e => e.GetProperty("record").GetProperty("id").GetString() == daemon.Id);
            Assert.Equal(daemon.Pid, entry.GetProperty("record").GetProperty("pid").GetInt32());
            Assert.Equal(daemon.Port, entry.GetProperty("record").GetProperty("port").GetInt32());
            Assert.Equal("running", entry.GetProperty("service").GetProperty("state").GetString());
        }
        Assert.False(File.Exists(deadRecord), "status did not delete the dead record\n" + status);

        var text = await sandbox.CliAsync("kernel", "status");
        Check.ExitCode(0, text);
        foreach (var daemon in new[] { first, second })
        {
            Check.Contains(daemon.Id, text.Stdout, text);
            Check.Contains(daemon.Pid.ToString(CultureInfo.InvariantCulture), text.Stdout, text);
            Check.Contains($"http://127.0.0.1:{daemon.Port}", text.Stdout, text);
        }
        Check.DoesNotContain("dead-e2e", text.Output, text);

        var stopAll = await sandbox.CliAsync("kernel", "stop", "--all");
        Check.ExitCode(0, stopAll);
        foreach (var daemon in new[] { first, second })
        {
            Assert.False(Processes.IsRunning(daemon.Pid), $"{daemon.Id} still runs after `kernel stop --all`\n{stopAll}");
            SignalTests.AssertNoFilesLeft(sandbox, daemon.PidFile, daemon.ConnectionFile, daemon.RegistryFile, daemon.TokenFile);
        }

        var none = await sandbox.CliAsync("kernel", "status", "--json");
        Check.ExitCode(3, none);
        Check.Contains("No llmspell service is running", none.Stderr, none);
    }

    [Fact]
    public async Task Idle_timeout_stops_the_service_cleanly_with_exit_0()
    {
        await using var sandbox = new ServiceSandbox();
        var pidFile = sandbox.Dir.File("idle.pid");
        File.WriteAllText(sandbox.Dir.File("kernel.toml"), "[kernel]\nidle_timeout = 3\n");
        var watch = System.Diagnostics.Stopwatch.StartNew();
        // Foreground, so the exit code is observable; nothing connects, so it must stop on its own.
        var run = await Cli.RunAsync(["kernel", "start", "--port", "0", "--pid-file", pidFile, "--connection-file", sandbox.Dir.File("kernel.json"),
            "--config", sandbox.Dir.File("kernel.toml")], TimeSpan.FromSeconds(90), sandbox.Dir.Path, sandbox.Environment);

        Check.ExitCode(0, run);
        Check.Contains("serving http://", run.Output, run);
        Check.Contains("idle_timeout = 3", run.Output, run);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(3), $"stopped after {watch.Elapsed.TotalSeconds:F1} s, before idle_timeout\n{run}");
        SignalTests.AssertNoFilesLeft(sandbox, pidFile, sandbox.Dir.File("kernel.json"));
        Assert.Empty(Directory.Exists(sandbox.ServicesDir) ? Directory.GetFiles(sandbox.ServicesDir) : []);
        Check.NoStackTrace(run.Output, run);
    }

    private static async Task<List<string>> KernelIdsAsync(ServiceSandbox sandbox, Daemon daemon)
    {
        var status = await sandbox.CliAsync("kernel", "status", "--json", "--port", daemon.Port.ToString(CultureInfo.InvariantCulture));
        Check.ExitCode(0, status);
        var json = Check.Json(status.Stdout, status);
        var service = json.ValueKind == JsonValueKind.Array ? json[0].GetProperty("service") : json.GetProperty("service");
        return service.GetProperty("kernels").EnumerateArray().Select(k => k.GetProperty("id").GetString()!).ToList();
    }
}
