namespace LlmSpell.Server.Config;

public enum ConfigValueType { Integer, String, Boolean, StringArray }

/// <summary>The keys each section accepts, with their TOML type. The single source for type checks and unknown-key warnings.</summary>
public static class ConfigSchema
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, ConfigValueType>> Sections =
        new Dictionary<string, IReadOnlyDictionary<string, ConfigValueType>>
        {
            ["kernel"] = new Dictionary<string, ConfigValueType>
            {
                ["port"] = ConfigValueType.Integer,
                ["ip"] = ConfigValueType.String,
                ["connection_file"] = ConfigValueType.String,
                ["idle_timeout"] = ConfigValueType.Integer,
                ["id"] = ConfigValueType.String,
                ["execution_timeout"] = ConfigValueType.Integer,
                ["memory_limit_mb"] = ConfigValueType.Integer,
                ["instruction_limit"] = ConfigValueType.Integer,
            },
            ["daemon"] = new Dictionary<string, ConfigValueType>
            {
                ["daemonize"] = ConfigValueType.Boolean,
                ["pid_file"] = ConfigValueType.String,
                ["working_dir"] = ConfigValueType.String,
                ["umask"] = ConfigValueType.Integer,
            },
            ["logging"] = new Dictionary<string, ConfigValueType>
            {
                ["log_file"] = ConfigValueType.String,
                ["log_level"] = ConfigValueType.String,
                ["max_size_mb"] = ConfigValueType.Integer,
                ["max_backups"] = ConfigValueType.Integer,
                ["compress"] = ConfigValueType.Boolean,
            },
            ["security"] = new Dictionary<string, ConfigValueType>
            {
                ["hmac_key"] = ConfigValueType.String,
                ["hmac_key_file"] = ConfigValueType.String,
                ["allowed_origins"] = ConfigValueType.StringArray,
                ["max_message_size_mb"] = ConfigValueType.Integer,
                ["rate_limit_per_minute"] = ConfigValueType.Integer,
                ["tls_enabled"] = ConfigValueType.Boolean,
                ["tls_cert"] = ConfigValueType.String,
                ["tls_key"] = ConfigValueType.String,
                ["allow_unsafe_lua"] = ConfigValueType.Boolean,
                ["metrics_require_token"] = ConfigValueType.Boolean,
            },
        };

    /// <summary>Keys whose values are secrets: never printed, logged or returned.</summary>
    public static readonly IReadOnlySet<string> SecretKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "security:hmac_key" };

    public static string Describe(ConfigValueType type) => type switch
    {
        ConfigValueType.Integer => "an integer",
        ConfigValueType.Boolean => "a boolean (true or false)",
        ConfigValueType.StringArray => "an array of strings",
        _ => "a string",
    };

    /// <summary>Closest known key for "did you mean" hints (edit distance ≤ 2).</summary>
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
