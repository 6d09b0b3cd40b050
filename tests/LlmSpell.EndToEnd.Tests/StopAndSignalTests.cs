using System.Globalization;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

public class StopAndSignalTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Stop_without_id_shuts_the_service_down_with_exit_0_and_removes_the_connection_file()
    {
        await using var service = await ServiceProcess.StartAsync();
        Assert.True(File.Exists(service.ConnectionFile), service.Describe());

        var stop = await Cli.RunAsync("kernel", "stop", "--port", service.Port.ToString(CultureInfo.InvariantCulture));
        Check.ExitCode(0, stop);

        Assert.Equal(0, await service.WaitForExitAsync(ExitTimeout));
        Assert.False(File.Exists(service.ConnectionFile), "connection file left behind\n" + service.Describe());
    }

    [Fact]
    public async Task Stop_with_an_unknown_id_exits_4_with_a_readable_message()
    {
        await using var service = await ServiceProcess.StartAsync();
        var stop = await Cli.RunAsync("kernel", "stop", "no-such-kernel", "--port", service.Port.ToString(CultureInfo.InvariantCulture));
        Check.ExitCode(4, stop);
        Check.Contains("no-such-kernel", stop.Stderr, stop);
        Check.Contains("not found", stop.Stderr, stop, StringComparison.OrdinalIgnoreCase);
        Check.NoStackTrace(stop.Output, stop);
        Assert.False(service.HasExited, service.Describe());
    }

    [Fact]
    public async Task A_kernel_started_with_curl_is_stopped_by_id_and_then_answers_404_problem_details()
    {
        // A known key, so curl can authenticate to /api the way a user who configured hmac_key would.
        var key = Guid.NewGuid().ToString("N");
        await using var service = await ServiceProcess.StartAsync(configToml: $"[security]\nhmac_key = \"{key}\"\n");
        var auth = $"Authorization: token {key}";
        var headers = service.Dir.File("headers.txt");
        var post = await Curl.RunAsync("-H", auth, "-X", "POST", "-D", headers, "-o", service.Dir.File("body.json"), "-w", "%{http_code}",
            $"http://127.0.0.1:{service.Port}/api/kernels");
        Check.ExitCode(0, post);
        Assert.True(post.Stdout.Trim() == "201", $"expected 201 Created\n{post}\n{File.ReadAllText(service.Dir.File("body.json"))}");
        var location = File.ReadAllLines(headers)
            .FirstOrDefault(l => l.StartsWith("Location:", StringComparison.OrdinalIgnoreCase))?["Location:".Length..].Trim();
        Assert.False(string.IsNullOrEmpty(location), "no Location header:\n" + File.ReadAllText(headers));
        var id = location!.TrimEnd('/').Split('/')[^1];
        var created = Check.Json(File.ReadAllText(service.Dir.File("body.json")), post);
        Assert.Equal(id, created.GetProperty("id").GetString());

        var stop = await Cli.RunAsync("kernel", "stop", id, "--port", service.Port.ToString(CultureInfo.InvariantCulture));
        Check.ExitCode(0, stop);

        var get = await Curl.RunAsync("-H", auth, "-o", service.Dir.File("gone.json"), "-w", "%{http_code} %{content_type}",
            $"http://127.0.0.1:{service.Port}/api/kernels/{id}");
        Check.ExitCode(0, get);
        Assert.StartsWith("404 application/problem+json", get.Stdout.Trim());
        var problem = Check.Json(File.ReadAllText(service.Dir.File("gone.json")), get);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(service.HasExited, service.Describe());
    }

    [Theory]
    [InlineData(Processes.SIGTERM)]
    [InlineData(Processes.SIGINT)]
    public async Task A_termination_signal_shuts_down_gracefully_with_exit_0(int signal)
    {
        await using var service = await ServiceProcess.StartAsync();
        Assert.True(File.Exists(service.ConnectionFile), service.Describe());

        service.SendSignal(signal);

        Assert.Equal(0, await service.WaitForExitAsync(ExitTimeout));
        Assert.False(File.Exists(service.ConnectionFile), "connection file left behind\n" + service.Describe());
        Check.Contains("shutting down", service.Stderr, service.Describe(), StringComparison.OrdinalIgnoreCase);
        Check.NoStackTrace(service.Stderr + service.Stdout, service.Describe());
    }
    [Fact]
    public async Task SIGHUP_reloads_the_configuration_and_SIGUSR2_toggles_debug_logging()
    {
        await using var service = await ServiceProcess.StartAsync(configToml: "[logging]\nlog_level = \"info\"\n");
        var port = service.Port.ToString(CultureInfo.InvariantCulture);

        File.WriteAllText(service.ConfigFile, "[logging]\nlog_level = \"warn\"\n");
        service.SendSignal(Processes.SIGHUP);
        await WaitForLogLevelAsync(service, port, "warn");

        service.SendSignal(Processes.SIGUSR2);
        await WaitForLogLevelAsync(service, port, "debug");
        Assert.False(service.HasExited, service.Describe());
    }

    private static async Task WaitForLogLevelAsync(ServiceProcess service, string port, string expected)
    {
        string? last = null;
        await Wait.UntilAsync(async () =>
        {
            var status = await Cli.RunAsync("kernel", "status", "--port", port, "--json");
            Check.ExitCode(0, status);
            last = Check.Json(status.Stdout, status).GetProperty("service").GetProperty("log_level").GetString();
            return last == expected;
        }, TimeSpan.FromSeconds(15), $"log level \"{expected}\"", () => $"log level is still \"{last}\"\n{service.Describe()}");
    }
}
