namespace LlmSpell.Server.Config;

/// <summary>What the operator asked for on the command line, plus the process environment.</summary>
public sealed record ConfigSources
{
    /// <summary>--config; when null LLMSPELL_CONFIG, then the standard location, are tried.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>Command-line flags as configuration keys ("kernel:port" → "9600"); highest priority.</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>Environment to read LLMSPELL_* from; null = the process environment.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <summary>Directory holding appsettings.json; null = the executable's directory.</summary>
    public string? AppSettingsDirectory { get; init; }

    public const string EnvironmentPrefix = "LLMSPELL_";
    public const string ConfigEnvironmentVariable = "LLMSPELL_CONFIG";

    public string? GetEnvironment(string name) =>
        Environment is null ? System.Environment.GetEnvironmentVariable(name) : Environment.GetValueOrDefault(name);

    public IEnumerable<KeyValuePair<string, string?>> EnvironmentVariables()
    {
        if (Environment is not null) return Environment;
        return System.Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => new KeyValuePair<string, string?>((string)e.Key, (string?)e.Value));
    }
}
