namespace LlmSpell.Server.Config;

/// <summary>A validated configuration together with where it came from.</summary>
public sealed record LoadedConfig(
    LlmSpellOptions Options,
    string? ConfigFile,
    IReadOnlyList<ConfigProblem> Warnings,
    IReadOnlyDictionary<string, string> SourceOfKey)
{
    /// <summary>The description of where a key's value came from ("default", "kernel.toml:3:1", "LLMSPELL_KERNEL__PORT", "--port").</summary>
    public string SourceOf(string section, string key) => SourceOfKey.GetValueOrDefault($"{section}:{key}", "default");
}
