namespace LlmSpell.Server.Config;

/// <summary>[state]: where State.save keeps values.</summary>
public sealed class StateSection
{
    public string Backend { get; set; } = "sqlite";

    /// <summary>The SQLite file; empty = state.db in daemon.working_dir.</summary>
    public string? Path { get; set; }

    public int MaxValueKb { get; set; } = 1024;

    private static readonly SectionKeys<StateSection> K = new("state", o => o.State);

    internal static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        K.Str("backend", s => s.Backend, (s, v) => s.Backend = v ?? "sqlite",
            check: v => v is "sqlite" or "memory" ? null : $"must be \"sqlite\" or \"memory\", found \"{v}\""),
        K.Str("path", s => s.Path, (s, v) => s.Path = v),
        K.Int("max_value_kb", s => s.MaxValueKb, (s, v) => s.MaxValueKb = v,
            check: v => v < 1 ? $"must be at least 1, found {v}" : null),
    ];

    /// <summary>The SQLite file for a service working in <paramref name="workingDir"/>.</summary>
    public string FileIn(string workingDir) => string.IsNullOrWhiteSpace(Path) ? System.IO.Path.Combine(workingDir, "state.db") : Path;
}
