using System.Text.Json;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

public class HealthAndMetricsTests
{
    [Fact]
    public async Task Health_via_curl_reports_healthy_version_uptime_pid_and_the_default_kernel()
    {
        await using var service = await ServiceProcess.StartAsync(["--id", "e2ehealth"]);

        var curl = await Curl.RunAsync($"http://127.0.0.1:{service.Port}/health");
        Check.ExitCode(0, curl);
        var health = Check.Json(curl.Stdout, curl);
        Assert.Equal("healthy", health.GetProperty("status").GetString());
        Assert.Equal("0.9.0", health.GetProperty("version").GetString());
        Assert.True(health.GetProperty("uptime_seconds").GetDouble() >= 0, curl.Stdout);
        Assert.Equal(service.Pid, health.GetProperty("pid").GetInt32());
        var kernels = health.GetProperty("kernels").EnumerateArray().ToList();
        // --id names the service; its default kernel gets a UUID, as Jupyter Server's routes require.
        Assert.Equal("e2ehealth", health.GetProperty("id").GetString());
        var defaultKernel = Assert.Single(kernels);
        Assert.True(Guid.TryParse(defaultKernel.GetProperty("id").GetString(), out _), curl.Stdout);
        Assert.Contains(defaultKernel.GetProperty("execution_state").GetString(), new[] { "idle", "busy", "starting" });

        var ready = await Curl.RunAsync("-o", "/dev/null", "-w", "%{http_code}", $"http://127.0.0.1:{service.Port}/health/ready");
        Check.ExitCode(0, ready);
        Assert.Equal("200", ready.Stdout.Trim());
    }

    [Fact]
    public async Task Metrics_scraped_with_curl_pass_promtool_check_metrics()
    {
        var promtool = RequiredTool.Find("promtool", "prometheus");
        await using var service = await ServiceProcess.StartAsync();
        // Some traffic first, so the HTTP request histograms have series.
        Check.ExitCode(0, await Curl.RunAsync($"http://127.0.0.1:{service.Port}/health/ready"));
        Check.ExitCode(0, await Curl.RunAsync($"http://127.0.0.1:{service.Port}/health"));

        var scrape = await Curl.RunAsync("-f", $"http://127.0.0.1:{service.Port}/metrics");
        Check.ExitCode(0, scrape);
        var metrics = scrape.Stdout;
        foreach (var name in new[] { "llmspell_build_info", "llmspell_kernels", "http_request_duration_seconds", "process_" })
            Check.Contains(name, metrics, metrics);

        var check = await ProcessRunner.RunAsync(promtool, ["check", "metrics"], stdin: metrics);
        if (check.ExitCode != 0)
            Assert.Fail($"promtool check metrics rejected /metrics (exit code {check.ExitCode}; 1 = errors, 3 = lint problems):\n{check.Stdout}{check.Stderr}");
    }
}
