using System.Text.RegularExpressions;
using LlmSpell.EndToEnd.Tests.Support;

namespace LlmSpell.EndToEnd.Tests;

/// <summary>
/// The shipped binary is Native AOT: no managed dll, no dotnet needed, and no trim/AOT warning from our own code.
/// The test command publishes it once (scripts/test.sh) and points LLMSPELL_BINARY and LLMSPELL_AOT_PUBLISH_LOG at it.
/// </summary>
public sealed partial class NativeAotTests
{
    private static string RequireAot()
    {
        var binary = LlmSpellBinary.Executable;
        // Never skipped: run against the JIT build these fail, saying how to get the AOT one.
        if (!LlmSpellBinary.IsNativeAot)
            Assert.Fail($"{binary} is not the Native AOT build: run the suite through scripts/test.sh, which publishes it and sets {LlmSpellBinary.OverrideVariable}.");
        return binary;
    }

    [Fact]
    public async Task The_published_directory_has_no_managed_dll_and_the_binary_runs_without_dotnet_on_path()
    {
        var binary = RequireAot();
        var dir = Path.GetDirectoryName(binary)!;
        Assert.Empty(Directory.GetFiles(dir, "*.dll"));
        Assert.False(File.Exists(Path.Combine(dir, "llmspell.runtimeconfig.json")), "a runtimeconfig means a framework-dependent app");
        // A PATH with nothing on it: no dotnet host to fall back to.
        using var empty = new TempDir();
        var environment = new Dictionary<string, string?> { ["PATH"] = empty.Path, ["DOTNET_ROOT"] = null, ["DOTNET_ROOT_X64"] = null };
        var version = await ProcessRunner.RunAsync(binary, ["--version"], timeout: TimeSpan.FromSeconds(20), environment: environment);
        Check.ExitCode(0, version);
        var dryRun = await ProcessRunner.RunAsync(binary, ["kernel", "start", "--dry-run", "--port", "0"], timeout: TimeSpan.FromSeconds(20), environment: environment);
        Check.ExitCode(0, dryRun);
        Assert.Contains("Configuration OK", dryRun.Stdout);
    }

    [GeneratedRegex(@"^(?<file>[^(\s][^(]*)\((?<line>\d+)(,\d+)?\): (Trim analysis |AOT analysis )?warning (?<code>IL\d{4})", RegexOptions.Multiline)]
    private static partial Regex SourceWarning();

    [GeneratedRegex(@"^(?<file>\S+\.dll) : warning (?<code>IL\d{4}): Assembly '(?<assembly>[^']+)'", RegexOptions.Multiline)]
    private static partial Regex AssemblyWarning();

    [Fact]
    public void The_aot_publish_has_no_trim_or_aot_warning_from_our_assemblies_and_every_third_party_one_is_documented()
    {
        RequireAot();
        var logPath = Environment.GetEnvironmentVariable("LLMSPELL_AOT_PUBLISH_LOG");
        if (string.IsNullOrEmpty(logPath) || !File.Exists(logPath))
            Assert.Fail($"LLMSPELL_AOT_PUBLISH_LOG does not name the publish log ({logPath}); scripts/test.sh writes artifacts/aot-publish.log.");
        var log = File.ReadAllText(logPath);
        Assert.Contains("llmspell", log);
        var ours = SourceWarning().Matches(log).Select(m => $"{m.Groups["file"].Value}({m.Groups["line"].Value}): {m.Groups["code"].Value}").Distinct().ToList();
        Assert.True(ours.Count == 0, "trim/AOT warnings in our code:\n" + string.Join("\n", ours));

        var documented = File.ReadAllText(Path.Combine(LlmSpellBinary.RepositoryRoot, "docs", "aot.md"));
        var thirdParty = AssemblyWarning().Matches(log).Select(m => m.Groups["assembly"].Value).Distinct().ToList();
        Assert.All(thirdParty, assembly => Assert.Contains($"`{assembly}`", documented));
    }
}
