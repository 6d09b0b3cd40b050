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

    /// <summary>The path of the built executable; fails the test with a build hint when it is missing.</summary>
    public static string Executable
    {
        get
        {
            var path = Path.Combine(RepositoryRoot, "src", "LlmSpell.Cli", "bin", Configuration, "net10.0", "llmspell");
            if (!File.Exists(path))
                Assert.Fail($"The llmspell executable is missing at {path}. Build it first: dotnet build tests/LlmSpell.EndToEnd.Tests -c {Configuration}");
            return path;
        }
    }
}
