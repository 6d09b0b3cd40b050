using System.IO.Compression;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Service;

public class LogRotationTests
{
    private const long MaxBytes = 1024 * 1024;

    [Fact]
    public async Task The_log_file_rotates_past_max_size_mb_into_a_gzip_backup()
    {
        await using var sandbox = new ServiceSandbox();
        // At trace level every GET /health logs about 1 KB (health check lines); 1 MB needs on the order of 1000.
        var daemon = await sandbox.StartDaemonAsync(configToml:
            "[logging]\nlog_level = \"trace\"\nmax_size_mb = 1\nmax_backups = 2\ncompress = true\n[security]\nrate_limit_per_minute = 1000000\n");
        var backup = daemon.LogFile + ".1.gz";

        var sent = 0;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (!File.Exists(backup))
        {
            if (sent >= 6000 || watch.Elapsed > TimeSpan.FromSeconds(60))
                Assert.Fail($"no {backup} after {sent} requests in {watch.Elapsed.TotalSeconds:F0} s; log is {new FileInfo(daemon.LogFile).Length} bytes\n{ServiceSandbox.ListDir(sandbox.Dir.Path)}");
            await Task.WhenAll(Enumerable.Range(0, 100).Select(async _ =>
            {
                using var response = await sandbox.GetAsync(daemon, "/health");
            }));
            sent += 100;
        }

        // The backup is complete gzip (the real gzip says so) holding the start of the log, within the size limit.
        var gzip = await ProcessRunner.RunAsync(RequiredTool.Find("gzip", "gzip"), ["-t", backup]);
        Check.ExitCode(0, gzip);
        string rotated;
        using (var input = new GZipStream(File.OpenRead(backup), CompressionMode.Decompress))
        using (var reader = new StreamReader(input))
            rotated = await reader.ReadToEndAsync();
        Check.Contains($"(pid {daemon.Pid}) serving http://127.0.0.1:{daemon.Port}", rotated, "the first backup does not hold the start of the log");
        Assert.True(rotated.Length > MaxBytes / 2, $"the rotated log holds only {rotated.Length} bytes");
        Assert.True(rotated.Length <= MaxBytes, $"the rotated log holds {rotated.Length} bytes, more than max_size_mb = 1 ({MaxBytes})");
        Assert.False(File.Exists(daemon.LogFile + ".1"), "the uncompressed backup was left next to the .gz");

        // Logging goes on in a fresh file, and the service is unaffected.
        Assert.True(new FileInfo(daemon.LogFile).Length < MaxBytes, "the live log file is not smaller than max_size_mb after rotation");
        Assert.True(await ServiceSandbox.IsHealthyAsync(daemon), "the service stopped answering after rotation");
        Processes.Signal(daemon.Pid, Processes.SIGUSR1);
        await ServiceSandbox.UntilFileContainsAsync(daemon.LogFile, "Statistics (SIGUSR1)");
    }
}
