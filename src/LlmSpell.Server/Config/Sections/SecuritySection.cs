namespace LlmSpell.Server.Config;

/// <summary>[security]: the shared key, origins, limits, TLS and the Lua sandbox.</summary>
public sealed class SecuritySection
{
    public string? HmacKey { get; set; }
    public string? HmacKeyFile { get; set; }
    public string[] AllowedOrigins { get; set; } = ["localhost", "127.0.0.1"];
    public int MaxMessageSizeMb { get; set; } = 10;
    /// <summary>Requests per minute per client address on /api; 0 = unlimited.</summary>
    public int RateLimitPerMinute { get; set; } = 600;
    public bool TlsEnabled { get; set; }
    public string? TlsCert { get; set; }
    public string? TlsKey { get; set; }
    public bool AllowUnsafeLua { get; set; }
    public bool MetricsRequireToken { get; set; }
    /// <summary>Environment variables Lua's os.getenv may read; names that look like secrets are never readable.</summary>
    public string[] LuaEnvAllow { get; set; } = [.. LlmSpell.Lua.LuaSessionOptions.DefaultEnvironmentAllowList];

    private static readonly SectionKeys<SecuritySection> K = new("security", o => o.Security);

    internal static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        K.Str("hmac_key", s => s.HmacKey, (s, v) => s.HmacKey = v, secret: true,
            check: v => v.Contains("$(", StringComparison.Ordinal)
                ? "looks like an unexpanded shell command substitution: TOML does not run commands. Generate a key with `openssl rand -base64 32` and paste the output, or use hmac_key_file or the LLMSPELL_HMAC_KEY environment variable"
                : null),
        K.Str("hmac_key_file", s => s.HmacKeyFile, (s, v) => s.HmacKeyFile = v),
        K.StrArray("allowed_origins", s => s.AllowedOrigins, (s, v) => s.AllowedOrigins = v, reload: ReloadEffect.Live),
        K.Int("max_message_size_mb", s => s.MaxMessageSizeMb, (s, v) => s.MaxMessageSizeMb = v,
            check: v => v < 1 ? $"must be at least 1, found {v}" : null),
        K.Int("rate_limit_per_minute", s => s.RateLimitPerMinute, (s, v) => s.RateLimitPerMinute = v,
            check: v => v < 0 ? $"must be 0 (unlimited) or more, found {v}" : null),
        K.Bool("tls_enabled", s => s.TlsEnabled, (s, v) => s.TlsEnabled = v),
        K.Str("tls_cert", s => s.TlsCert, (s, v) => s.TlsCert = v),
        K.Str("tls_key", s => s.TlsKey, (s, v) => s.TlsKey = v),
        K.Bool("allow_unsafe_lua", s => s.AllowUnsafeLua, (s, v) => s.AllowUnsafeLua = v, reload: ReloadEffect.NewKernels),
        K.Bool("metrics_require_token", s => s.MetricsRequireToken, (s, v) => s.MetricsRequireToken = v, reload: ReloadEffect.Live),
        K.StrArray("lua_env_allow", s => s.LuaEnvAllow, (s, v) => s.LuaEnvAllow = v, reload: ReloadEffect.NewKernels),
    ];

    internal static IEnumerable<(string Key, string Message)> CrossChecks(SecuritySection s)
    {
        if (s.HmacKey is not null && s.HmacKeyFile is not null)
            yield return ("security:hmac_key_file", "set either hmac_key or hmac_key_file, not both");
        if (s.TlsEnabled && string.IsNullOrWhiteSpace(s.TlsCert))
            yield return ("security:tls_cert", "is required when tls_enabled = true (path to a PEM certificate)");
        if (s.TlsEnabled && string.IsNullOrWhiteSpace(s.TlsKey))
            yield return ("security:tls_key", "is required when tls_enabled = true (path to a PEM private key)");
    }
}
