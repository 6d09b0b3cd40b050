using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

public class HelpAndVersionTests
{
    [Fact]
    public async Task Version_prints_0_9_0()
    {
        var result = await Cli.RunAsync("--version");
        Check.ExitCode(0, result);
        Assert.Equal("0.9.0", result.Stdout.Trim());
    }

    [Fact]
    public async Task Start_help_lists_port_and_dry_run()
    {
        var result = await Cli.RunAsync("kernel", "start", "--help");
        Check.ExitCode(0, result);
        foreach (var option in new[] { "--port", "--dry-run", "--config", "--connection-file", "--log-file", "--log-level", "--ip", "--id" })
            Check.Contains(option, result.Stdout, result);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("kernel --help")]
    [InlineData("kernel start --help")]
    [InlineData("kernel status --help")]
    [InlineData("kernel stats --help")]
    [InlineData("kernel reload --help")]
    [InlineData("kernel stop --help")]
    public async Task Every_command_has_help(string args)
    {
        var result = await Cli.RunAsync(args.Split(' '));
        Check.ExitCode(0, result);
        Check.Contains("Usage:", result.Stdout, result);
    }
}
