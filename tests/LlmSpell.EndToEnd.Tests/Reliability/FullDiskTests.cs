using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests.Reliability;

/// <summary>A full disk at start: exit 1 with one line naming the file, not an abort with a stack trace.</summary>
public sealed class FullDiskTests
{
    [Fact]
    public async Task A_full_disk_for_the_connection_file_exits_1_with_one_line_naming_the_file()
    {
        using var dir = new TempDir();
        var full = dir.File("full");
        Directory.CreateDirectory(full);
        // A 16 KiB tmpfs filled to the last byte is a full disk that touches nothing else on the machine.
        var mount = await ProcessRunner.RunAsync("mount", ["-t", "tmpfs", "-o", "size=16k", "tmpfs", full], timeout: TimeSpan.FromSeconds(10));
        if (mount.ExitCode != 0) Assert.Fail($"this test mounts a small tmpfs and needs root (as CI runs): {mount}");
        try
        {
            await ProcessRunner.RunAsync("dd", ["if=/dev/zero", $"of={Path.Combine(full, "filler")}", "bs=1k", "count=64"], timeout: TimeSpan.FromSeconds(10));
            var connectionFile = Path.Combine(full, "kernel.json");
            var result = await Cli.RunAsync(["kernel", "start", "--port", "0", "--connection-file", connectionFile],
                timeout: TimeSpan.FromSeconds(60), environment: new Dictionary<string, string?> { ["LLMSPELL_RUNTIME_DIR"] = dir.File("run") });

            Check.ExitCode(1, result);
            Check.NoStackTrace(result.Stderr, result);
            var line = Assert.Single(result.Stderr.Split('\n'), l => l.StartsWith("llmspell: ", StringComparison.Ordinal));
            Assert.Contains(connectionFile, line);
            Assert.Contains("No space left on device", line);
            Assert.DoesNotContain("Unhandled exception", result.Stderr);
        }
        finally
        {
            await ProcessRunner.RunAsync("umount", [full], timeout: TimeSpan.FromSeconds(10));
        }
    }
}
