namespace LlmSpell.Server.Config;

/// <summary>Every key the configuration accepts, collected from the sections' own declarations.</summary>
public static class ConfigSchema
{
    public static IReadOnlyList<ConfigKey> Keys { get; } = LlmSpellOptions.Sections.SelectMany(s => s).ToList();

    /// <summary>Section name → key name → key, in declaration order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, ConfigKey>> Sections { get; } =
        Keys.GroupBy(k => k.Section).ToDictionary(
            g => g.Key,
            g => (IReadOnlyDictionary<string, ConfigKey>)g.ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase),
            StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<string> SectionNames => Keys.Select(k => k.Section).Distinct();

    public static ConfigKey? Find(string section, string name) =>
        KeysOfSection(section) is { } keys && keys.TryGetValue(name, out var key) ? key : null;

    /// <summary>
    /// The keys of a section: a fixed one, or a provider table [providers.NAME] / [providers.NAME.pricing]
    /// (also written PROVIDERS_NAME / PROVIDERS_NAME_PRICING in environment variables); null when unknown.
    /// </summary>
    public static IReadOnlyDictionary<string, ConfigKey>? KeysOfSection(string section)
    {
        if (Sections.TryGetValue(section, out var keys)) return keys;
        if (ProviderOfSection(section) is not { } provider) return null;
        return ProviderTable.KeysFor(provider.Name)
            .Where(k => k.Section.EndsWith(".pricing", StringComparison.Ordinal) == provider.Pricing)
            .ToDictionary(k => k.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>"providers.openai" → (openai, false); "providers.openai.pricing" or "PROVIDERS_OPENAI_PRICING" → (openai, true).</summary>
    public static (string Name, bool Pricing)? ProviderOfSection(string section)
    {
        string rest;
        if (section.StartsWith("providers.", StringComparison.OrdinalIgnoreCase)) rest = section["providers.".Length..];
        else if (section.StartsWith("PROVIDERS_", StringComparison.Ordinal)) rest = section["PROVIDERS_".Length..].ToLowerInvariant().Replace("_pricing", ".pricing");
        else return null;
        var pricing = rest.EndsWith(".pricing", StringComparison.OrdinalIgnoreCase);
        var name = pricing ? rest[..^".pricing".Length] : rest;
        if (name.Length == 0 || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-')) return null;
        return (name, pricing);
    }

    /// <summary>Every key of a bound configuration: the fixed ones, then each configured provider's.</summary>
    public static IEnumerable<ConfigKey> KeysOf(LlmSpellOptions options) =>
        Keys.Concat(options.Providers.Named.SelectMany(p => ProviderTable.KeysFor(p.Name)));

    /// <summary>Closest known name for "did you mean" hints (edit distance ≤ 2).</summary>
    public static string? Suggest(string candidate, IEnumerable<string> known) =>
        known.Select(k => (Key: k, Distance: Levenshtein(candidate, k)))
            .Where(x => x.Distance <= 2)
            .OrderBy(x => x.Distance)
            .Select(x => x.Key)
            .FirstOrDefault();

    private static int Levenshtein(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
        return d[a.Length, b.Length];
    }
}
