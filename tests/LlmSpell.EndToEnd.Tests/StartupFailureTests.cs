using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

public sealed class StartupFailureTests
{
    [Fact]
    public async Task A_start_that_cannot_write_its_runtime_files_exits_non_zero_naming_the_path()
    {
        using var dir = new TempDir();
        var blocker = dir.Write("not-a-directory", "");
        var runtimeDir = Path.Combine(blocker, "run"); // below a regular file: no user, root included, can create it
        var result = await Cli.RunAsync(
            ["kernel", "start", "--port", "0", "--config", dir.Write("kernel.toml", ""), "--connection-file", dir.File("kernel.json")],
            timeout: TimeSpan.FromSeconds(60), workingDirectory: dir.Path,
            environment: new Dictionary<string, string?> { ["LLMSPELL_RUNTIME_DIR"] = runtimeDir, ["HOME"] = dir.Path });
        Assert.True(result.ExitCode != 0, $"a service that could not complete startup exited 0 (Kubernetes would call it Completed)\n{result}");
        Check.Contains("could not complete startup", result.Stderr, result);
        Check.Contains(runtimeDir, result.Output, result);
        Check.NoStackTrace(result.Output, result);
    }
}
