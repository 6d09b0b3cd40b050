using System.Reflection;

namespace LlmSpell.EndToEnd.Tests.Support;

/// <summary>Where the repository and the built <c>llmspell</c> executable are, from the metadata the csproj records.</summary>
public static class LlmSpellBinary
{
    private static string Metadata(string key) =>
        typeof(LlmSpellBinary).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"AssemblyMetadata \"{key}\" is missing from the test assembly; see LlmSpell.EndToEnd.Tests.csproj");

    public static string RepositoryRoot => Path.GetFullPath(Metadata("RepositoryRoot"));

    public static string Configuration => Metadata("Configuration");

    public const string OverrideVariable = "LLMSPELL_BINARY";

    /// <summary>
    /// The executable under test: $LLMSPELL_BINARY (the test command points it at the Native AOT build), else the
    /// JIT build next to the sources. Fails the test with a build hint when it is missing.
    /// </summary>
    public static string Executable
    {
        get
        {
            var chosen = Environment.GetEnvironmentVariable(OverrideVariable);
            var path = string.IsNullOrEmpty(chosen)
                ? Path.Combine(RepositoryRoot, "src", "LlmSpell.Cli", "bin", Configuration, "net10.0", "llmspell")
                : Path.GetFullPath(chosen);
            if (!File.Exists(path))
                Assert.Fail(string.IsNullOrEmpty(chosen)
                    ? $"The llmspell executable is missing at {path}. Build it first: dotnet build tests/LlmSpell.EndToEnd.Tests -c {Configuration}"
                    : $"{OverrideVariable} names {path}, which does not exist. Publish it first (see scripts/test.sh).");
            return path;
        }
    }

    /// <summary>Whether the binary under test is the Native AOT build (no llmspell.dll beside it).</summary>
    public static bool IsNativeAot => !File.Exists(Path.Combine(Path.GetDirectoryName(Executable)!, "llmspell.dll"));
}
