using LlmSpell.State.Postgres;

namespace LlmSpell.Server.Config;

/// <summary>[state]: where State.save keeps values.</summary>
public sealed class StateSection
{
    public string Backend { get; set; } = "sqlite";

    /// <summary>The SQLite file; empty = state.db in daemon.working_dir.</summary>
    public string? Path { get; set; }

    public int MaxValueKb { get; set; } = 1024;

    /// <summary>backend = "postgres": the environment variable holding the connection string (its value is the secret, not this name).</summary>
    public string? ConnectionStringEnv { get; set; }

    /// <summary>backend = "postgres": the file holding the connection string, e.g. a mounted Kubernetes Secret.</summary>
    public string? ConnectionStringFile { get; set; }

    private static readonly SectionKeys<StateSection> K = new("state", o => o.State);

    internal static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        K.Str("backend", s => s.Backend, (s, v) => s.Backend = v ?? "sqlite",
            check: v => v is "sqlite" or "postgres" or "memory" ? null : $"must be \"sqlite\", \"postgres\" or \"memory\", found \"{v}\""),
        K.Str("path", s => s.Path, (s, v) => s.Path = v),
        K.Int("max_value_kb", s => s.MaxValueKb, (s, v) => s.MaxValueKb = v,
            check: v => v < 1 ? $"must be at least 1, found {v}" : null),
        // The checks never echo the value: a connection string written here by mistake would carry its password.
        K.Str("connection_string_env", s => s.ConnectionStringEnv, (s, v) => s.ConnectionStringEnv = v,
            check: v => IsVariableName(v) ? null
                : "must name an environment variable (letters, digits and '_', not starting with a digit) such as LLMSPELL_STATE_DSN; " +
                  "the connection string itself goes in that variable, not here (the value is not shown: it may hold a password)"),
        K.Str("connection_string_file", s => s.ConnectionStringFile, (s, v) => s.ConnectionStringFile = v,
            check: v => string.IsNullOrWhiteSpace(v) ? "must be the path of a file holding the connection string, e.g. /var/run/secrets/llmspell/dsn"
                : LooksLikeConnectionString(v) ? "looks like a connection string, not a path: write the connection string into a file (or a Secret " +
                  "mounted as one) and give its path here (the value is not shown: it may hold a password)"
                : null),
    ];

    internal static IEnumerable<(string Key, string Message)> CrossChecks(StateSection s)
    {
        var env = !string.IsNullOrEmpty(s.ConnectionStringEnv);
        var file = !string.IsNullOrEmpty(s.ConnectionStringFile);
        if (env && file)
            yield return ("state:connection_string_file", "set either connection_string_env or connection_string_file, not both");
        else if (s.Backend == "postgres" && !env && !file)
            yield return ("state:connection_string_env",
                "is required when backend = \"postgres\": set connection_string_env (the name of an environment variable holding the connection string) " +
                "or connection_string_file (a file holding it, e.g. a mounted Kubernetes Secret)");
    }

    /// <summary>The SQLite file for a service working in <paramref name="workingDir"/>.</summary>
    public string FileIn(string workingDir) => string.IsNullOrWhiteSpace(Path) ? System.IO.Path.Combine(workingDir, "state.db") : Path;

    /// <summary>Where backend = "postgres" reads its connection string; null when neither key is set.</summary>
    public PostgresConnectionSource? PostgresSource() =>
        !string.IsNullOrEmpty(ConnectionStringEnv) ? PostgresConnectionSource.FromEnvironment(ConnectionStringEnv, "[state] connection_string_env")
        : !string.IsNullOrEmpty(ConnectionStringFile) ? PostgresConnectionSource.FromFile(ConnectionStringFile, "[state] connection_string_file")
        : null;

    private static bool LooksLikeConnectionString(string v) =>
        v.Contains('=', StringComparison.Ordinal) || v.Contains("://", StringComparison.Ordinal);

    private static bool IsVariableName(string v) =>
        v.Length > 0 && !char.IsAsciiDigit(v[0]) && v.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
