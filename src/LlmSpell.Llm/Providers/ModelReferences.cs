namespace LlmSpell.Llm.Providers;

/// <summary>
/// Which provider and model a script's model string means: "provider/model" when the part before the first '/' is a
/// configured provider, otherwise the whole string is a model of the default provider (model names may contain '/',
/// like "meta-llama/Llama-3"); null means the default provider's default_model.
/// </summary>
internal static class ModelReferences
{
    public static (ProviderRuntime Provider, string Model) Resolve(string? model, IReadOnlyDictionary<string, ProviderRuntime> providers,
        string defaultProvider)
    {
        var slash = model?.IndexOf('/') ?? -1;
        if (slash > 0 && providers.TryGetValue(model![..slash], out var named))
            return (named, ModelOrDefault(named, model[(slash + 1)..]));
        var provider = Find(defaultProvider, providers);
        return (provider, ModelOrDefault(provider, model));
    }

    /// <summary>The provider called <paramref name="name"/>; the message lists the configured ones.</summary>
    public static ProviderRuntime Find(string name, IReadOnlyDictionary<string, ProviderRuntime> providers) =>
        providers.TryGetValue(name, out var provider)
            ? provider
            : throw new LlmException(
                $"unknown provider '{name}'; configured providers: {(providers.Count == 0 ? "none" : string.Join(", ", providers.Keys.Order(StringComparer.Ordinal)))}" +
                $" (add [providers.{name}] to the configuration or use one of those)", name);

    private static string ModelOrDefault(ProviderRuntime provider, string? model)
    {
        if (!string.IsNullOrWhiteSpace(model)) return model;
        return provider.Settings.DefaultModel is { Length: > 0 } fallback
            ? fallback
            : throw new LlmException(
                $"no model given and provider '{provider.Name}' has no default_model; pass model = \"{provider.Name}/MODEL\" " +
                $"or set default_model in [providers.{provider.Name}]", provider.Name);
    }
}
