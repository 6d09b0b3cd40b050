using System.Globalization;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

/// <summary>The client commands when nothing listens on the port.</summary>
public class NotRunningTests
{
    [Theory]
    [InlineData("status")]
    [InlineData("stats")]
    [InlineData("reload")]
    [InlineData("stop")]
    public async Task A_client_command_says_in_one_line_that_nothing_listens_and_exits_3(string command)
    {
        var port = Ports.FreePort().ToString(CultureInfo.InvariantCulture);
        var result = await Cli.RunAsync(["kernel", command, "--port", port], timeout: TimeSpan.FromSeconds(30));

        Check.ExitCode(3, result);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line\n{result}");
        Check.Contains($"127.0.0.1:{port}", lines[0], result);
        Check.Contains("llmspell kernel start", lines[0], result);
        Check.NoStackTrace(result.Output, result);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(15), $"took too long\n{result}");
    }
}
