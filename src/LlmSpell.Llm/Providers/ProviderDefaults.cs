namespace LlmSpell.Llm;

/// <summary>The providers that exist when no [providers] section is configured: the public endpoints and a local Ollama.</summary>
public static class ProviderDefaults
{
    /// <summary>openai, anthropic and ollama with their usual endpoints, key variables and a small default model.</summary>
    public static IReadOnlyList<ProviderSettings> Predefined { get; } =
    [
        new()
        {
            Name = "openai", Type = ProviderTypes.OpenAI, BaseUrl = "https://api.openai.com/v1",
            ApiKeyEnv = "OPENAI_API_KEY", DefaultModel = "gpt-4o-mini",
        },
        new()
        {
            Name = "anthropic", Type = ProviderTypes.Anthropic, BaseUrl = "https://api.anthropic.com",
            ApiKeyEnv = "ANTHROPIC_API_KEY", DefaultModel = "claude-3-5-haiku-latest",
        },
        new()
        {
            Name = "ollama", Type = ProviderTypes.Ollama, BaseUrl = "http://localhost:11434", DefaultModel = "llama3.2",
        },
    ];

    /// <summary>The predefined provider called <paramref name="name"/>, or null when there is none by that name.</summary>
    public static ProviderSettings? For(string name) =>
        Predefined.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal));
}

/// <summary>The values of <see cref="ProviderSettings.Type"/>.</summary>
public static class ProviderTypes
{
    /// <summary>OpenAI chat completions (also any OpenAI-compatible server).</summary>
    public const string OpenAI = "openai";

    /// <summary>Anthropic Messages.</summary>
    public const string Anthropic = "anthropic";

    /// <summary>Ollama chat.</summary>
    public const string Ollama = "ollama";

    /// <summary>Every supported type.</summary>
    public static IReadOnlyList<string> All { get; } = [OpenAI, Anthropic, Ollama];

    /// <summary>Whether the provider type refuses requests without a key (Ollama needs none).</summary>
    public static bool RequiresKey(string type) => type != Ollama;
}
