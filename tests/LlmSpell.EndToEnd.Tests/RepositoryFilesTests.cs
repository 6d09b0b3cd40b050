using System.Text.RegularExpressions;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

/// <summary>The Dockerfile and the README's commands (there is no Docker engine here, so the Dockerfile is linted).</summary>
public partial class RepositoryFilesTests
{
    private static string Root => LlmSpellBinary.RepositoryRoot;

    [Fact]
    public async Task Dockerfile_passes_dockerfilelint()
    {
        var linter = Path.Combine(Root, "tests", "tools", "node_modules", ".bin", "dockerfilelint");
        if (!File.Exists(linter))
            Assert.Fail($"dockerfilelint is not installed at {linter}; run `npm install --prefix tests/tools dockerfilelint@1.8.0` (./scripts/test.sh does it).");
        var dockerfile = Path.Combine(Root, "Dockerfile");
        Assert.True(File.Exists(dockerfile), $"{dockerfile} is missing");

        var result = await ProcessRunner.RunAsync(linter, [dockerfile], workingDirectory: Root);
        Check.ExitCode(0, result);
    }

    [GeneratedRegex(@"^```[a-z]*\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedBlock();

    [Fact]
    public void Readme_starts_with_the_run_and_test_commands_and_its_docker_build_uses_the_dockerfile()
    {
        var readmePath = Path.Combine(Root, "README.md");
        Assert.True(File.Exists(readmePath), $"{readmePath} is missing");
        var readme = File.ReadAllText(readmePath).ReplaceLineEndings("\n");

        var first = FencedBlock().Match(readme);
        Assert.True(first.Success, "README.md has no fenced code block");
        var block = first.Groups[1].Value;
        Assert.True(block.Contains("dotnet run", StringComparison.Ordinal) || block.Contains("llmspell kernel start", StringComparison.Ordinal),
            $"the README's first code block does not run the service:\n{block}");
        Assert.Contains("kernel start", block);
        Assert.Contains("scripts/test.sh", block);

        var dockerBuild = readme.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("docker build", StringComparison.Ordinal));
        Assert.False(dockerBuild is null, "README.md has no `docker build` command");
        var tokens = dockerBuild!.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var fileFlag = Array.FindIndex(tokens, t => t is "-f" or "--file");
        var dockerfile = fileFlag >= 0 && fileFlag + 1 < tokens.Length ? tokens[fileFlag + 1] : Path.Combine(tokens[^1], "Dockerfile");
        Assert.True(File.Exists(Path.Combine(Root, dockerfile)), $"`{dockerBuild}` needs {dockerfile}, which is missing");

        Assert.True(File.Exists(Path.Combine(Root, "scripts", "test.sh")), "scripts/test.sh is missing");
    }

    [Fact]
    public void Dockerfile_builds_with_the_readme_publish_command()
    {
        var readme = File.ReadAllLines(Path.Combine(Root, "README.md")).Select(l => l.Trim()).ToList();
        var publishes = File.ReadAllLines(Path.Combine(Root, "Dockerfile"))
            .Where(l => l.TrimStart().StartsWith("RUN dotnet ", StringComparison.Ordinal))
            .Select(l => l.Trim()["RUN ".Length..])
            .ToList();
        Assert.NotEmpty(publishes);
        foreach (var command in publishes)
            Assert.True(readme.Contains(command), $"the Dockerfile runs `{command}`, which README.md does not show; keep the two the same");
    }
}
