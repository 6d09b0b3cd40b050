using LlmSpell.Llm;

namespace LlmSpell.Server.Config;

/// <summary>
/// [providers] and its tables [providers.NAME] (and [providers.NAME.pricing]): the model providers scripts may
/// call as "NAME/model". Without any provider table, openai, anthropic and ollama are predefined.
/// </summary>
public sealed class ProvidersSection
{
    public string DefaultProvider { get; set; } = "openai";

    /// <summary>The provider tables by name, in the order they were first configured.</summary>
    public List<ProviderTable> Named { get; } = [];

    public ProviderTable? Find(string name) => Named.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The table of <paramref name="name"/>, added (with that name's defaults) if it is new.</summary>
    public ProviderTable GetOrAdd(string name)
    {
        if (Find(name) is { } existing) return existing;
        var table = ProviderTable.Create(name);
        Named.Add(table);
        return table;
    }

    private static readonly SectionKeys<ProvidersSection> K = new("providers", o => o.Providers);

    internal static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        K.Str("default_provider", s => s.DefaultProvider, (s, v) => s.DefaultProvider = v ?? "openai"),
    ];

    internal static IEnumerable<(string Key, string Message)> CrossChecks(ProvidersSection s)
    {
        if (s.Find(s.DefaultProvider) is null)
            yield return ("providers:default_provider", $"names no configured provider: '{s.DefaultProvider}' (configured: {string.Join(", ", s.Named.Select(p => p.Name))})");
    }
}

/// <summary>[providers.NAME]: one provider; see <see cref="ProviderSettings"/>.</summary>
public sealed class ProviderTable
{
    public required string Name { get; init; }
    public string ProviderType { get; set; } = "";
    public string? ApiKeyEnv { get; set; }
    public string? ApiKeyFile { get; set; }
    public string? ApiKey { get; set; }
    public string BaseUrl { get; set; } = "";
    public string? DefaultModel { get; set; }
    public int TimeoutSeconds { get; set; } = 120;
    public int MaxRetries { get; set; } = 3;
    public int RequestsPerMinute { get; set; }
    public bool AllowInsecureHttp { get; set; }
    public double InputPerMillion { get; set; }
    public double OutputPerMillion { get; set; }

    public static readonly string[] Types = ["openai", "anthropic", "ollama"];

    /// <summary>A new table; openai, anthropic and ollama start from their predefined settings.</summary>
    public static ProviderTable Create(string name)
    {
        var table = new ProviderTable { Name = name };
        if (ProviderDefaults.For(name) is { } d)
        {
            table.ProviderType = d.Type;
            table.ApiKeyEnv = d.ApiKeyEnv;
            table.BaseUrl = d.BaseUrl;
            table.DefaultModel = d.DefaultModel;
        }
        return table;
    }

    public ProviderSettings ToSettings() => new()
    {
        Name = Name,
        Type = ProviderType,
        ApiKeyEnv = ApiKeyEnv,
        ApiKeyFile = ApiKeyFile,
        ApiKey = ApiKey,
        BaseUrl = string.IsNullOrEmpty(BaseUrl) ? ProviderDefaults.For(ProviderType)?.BaseUrl ?? "" : BaseUrl,
        DefaultModel = DefaultModel,
        TimeoutSeconds = TimeoutSeconds,
        MaxRetries = MaxRetries,
        RequestsPerMinute = RequestsPerMinute,
        AllowInsecureHttp = AllowInsecureHttp,
        InputPerMillion = InputPerMillion > 0 || OutputPerMillion > 0 ? InputPerMillion : null,
        OutputPerMillion = InputPerMillion > 0 || OutputPerMillion > 0 ? OutputPerMillion : null,
    };

    /// <summary>The keys of [providers.NAME] and [providers.NAME.pricing] for one provider.</summary>
    internal static IReadOnlyList<ConfigKey> KeysFor(string name)
    {
        ProviderTable Of(LlmSpellOptions o) => o.Providers.Find(name) ?? Create(name);
        var k = new SectionKeys<ProviderTable>($"providers.{name}", Of);
        var price = new SectionKeys<ProviderTable>($"providers.{name}.pricing", Of);
        static string? NonNegative(int v) => v < 0 ? $"must be 0 or more, found {v}" : null;
        return
        [
            k.Str("provider_type", s => s.ProviderType, (s, v) => s.ProviderType = v ?? "",
                check: v => Types.Contains(v) ? null : $"must be one of {string.Join(", ", Types)} (\"openai\" also serves any OpenAI-compatible server), found \"{v}\""),
            k.Str("api_key_env", s => s.ApiKeyEnv, (s, v) => s.ApiKeyEnv = v),
            k.Str("api_key_file", s => s.ApiKeyFile, (s, v) => s.ApiKeyFile = v),
            k.Str("api_key", s => s.ApiKey, (s, v) => s.ApiKey = v, secret: true),
            k.Str("base_url", s => s.BaseUrl, (s, v) => s.BaseUrl = v ?? "",
                check: v => v.Length == 0 || Uri.TryCreate(v, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
                    ? null : $"must be an http:// or https:// URL, found \"{v}\""),
            k.Str("default_model", s => s.DefaultModel, (s, v) => s.DefaultModel = v),
            k.Int("timeout_seconds", s => s.TimeoutSeconds, (s, v) => s.TimeoutSeconds = v,
                check: v => v < 1 ? $"must be at least 1, found {v}" : null),
            k.Int("max_retries", s => s.MaxRetries, (s, v) => s.MaxRetries = v, check: NonNegative),
            k.Int("requests_per_minute", s => s.RequestsPerMinute, (s, v) => s.RequestsPerMinute = v, check: NonNegative),
            k.Bool("allow_insecure_http", s => s.AllowInsecureHttp, (s, v) => s.AllowInsecureHttp = v),
            price.Double("input_per_million", s => s.InputPerMillion, (s, v) => s.InputPerMillion = v,
                check: v => v < 0 ? $"must be 0 or more (USD per million tokens), found {v}" : null),
            price.Double("output_per_million", s => s.OutputPerMillion, (s, v) => s.OutputPerMillion = v,
                check: v => v < 0 ? $"must be 0 or more (USD per million tokens), found {v}" : null),
        ];
    }
}
