namespace LlmSpell.Llm;

/// <summary>One configured provider ([providers.NAME]); the name is what model strings use ("NAME/model").</summary>
public sealed record ProviderSettings
{
    public required string Name { get; init; }

    /// <summary>openai | anthropic | ollama ("openai" also serves any OpenAI-compatible server).</summary>
    public required string Type { get; init; }

    /// <summary>Environment variable holding the key (OPENAI_API_KEY).</summary>
    public string? ApiKeyEnv { get; init; }

    /// <summary>File holding the key (first line, trimmed).</summary>
    public string? ApiKeyFile { get; init; }

    /// <summary>Inline key from the config file (warned about, like hmac_key).</summary>
    public string? ApiKey { get; init; }

    public required string BaseUrl { get; init; }
    public string? DefaultModel { get; init; }
    public int TimeoutSeconds { get; init; } = 120;
    public int MaxRetries { get; init; } = 3;

    /// <summary>Client-side limit; 0 = none.</summary>
    public int RequestsPerMinute { get; init; }

    /// <summary>USD per million tokens, for cost_usd and metrics; null = unknown.</summary>
    public double? InputPerMillion { get; init; }
    public double? OutputPerMillion { get; init; }

    /// <summary>Allows a non-loopback http:// base_url.</summary>
    public bool AllowInsecureHttp { get; init; }
}

/// <summary>Settings shared by every provider.</summary>
public sealed record LlmOptions
{
    public IReadOnlyList<ProviderSettings> Providers { get; init; } = [];
    public string DefaultProvider { get; init; } = "openai";

    /// <summary>Largest response body (JSON) or stream (SSE/NDJSON, summed) accepted from a provider.</summary>
    public long MaxResponseBytes { get; init; } = 16L * 1024 * 1024;
}

/// <summary>What GET /api/providers and `providers list` show: never the key itself.</summary>
/// <param name="KeySource">"env:OPENAI_API_KEY", "file:/path", "config" (inline) or "none".</param>
public sealed record ProviderInfo(string Name, string Type, string BaseUrl, string? DefaultModel, string KeySource, bool KeyPresent);

/// <summary>The outcome of `providers check`: a cheap real call (list models).</summary>
public sealed record ProviderCheckResult(string Name, bool Ok, string Message, long DurationMs);
