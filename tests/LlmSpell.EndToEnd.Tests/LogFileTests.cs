using System.Globalization;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

public class LogFileTests
{
    [Fact]
    public async Task The_log_file_records_the_service_at_debug_level_and_never_the_secret()
    {
        const string secret = "e2e-Log-Secret-5c4b3a";
        await using var service = await ServiceProcess.StartAsync(
            ["--log-file", "logs/kernel.log", "--log-level", "debug"], configToml: $"[security]\nhmac_key = \"{secret}\"\n");
        var port = service.Port.ToString(CultureInfo.InvariantCulture);
        Check.ExitCode(0, await Cli.RunAsync("kernel", "status", "--port", port));
        Check.ExitCode(0, await Cli.RunAsync("kernel", "reload", "--port", port));
        Check.ExitCode(0, await Curl.RunAsync($"http://127.0.0.1:{port}/health"));

        service.SendSignal(Processes.SIGTERM);
        Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(15)));

        // --log-file is relative to the working directory (the temp dir).
        var logFile = service.Dir.File("logs/kernel.log");
        Assert.True(File.Exists(logFile), $"no log file at {logFile}\n{service.Describe()}");
        var log = File.ReadAllText(logFile);
        Check.Contains($"serving http://127.0.0.1:{port}", log, log);
        Check.DoesNotContain(secret, log, "the hmac_key appears in the log file");
        Check.DoesNotContain(secret, service.Stdout + service.Stderr, "the hmac_key appears in the console output");
    }
}
