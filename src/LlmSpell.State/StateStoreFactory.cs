using LlmSpell.State.Memory;
using LlmSpell.State.Sqlite;

namespace LlmSpell.State;

/// <summary>Creates the configured state backend.</summary>
public static class StateStoreFactory
{
    /// <summary>The default cap on one stored value: 1 MiB of UTF-8 JSON.</summary>
    public const long DefaultMaxValueBytes = 1024 * 1024;

    /// <summary>The backend names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Backends { get; } = ["sqlite", "memory"];

    /// <summary>
    /// A store for <paramref name="backend"/>: "sqlite" (the file at <paramref name="path"/>, shared by every process that
    /// opens it) or "memory" (this process only; <paramref name="path"/> is ignored).
    /// </summary>
    public static IStateStore Create(string backend, string path, long maxValueBytes = DefaultMaxValueBytes) =>
        backend?.Trim().ToLowerInvariant() switch
        {
            "sqlite" => new SqliteStateStore(path, maxValueBytes),
            "memory" => new MemoryStateStore(maxValueBytes),
            _ => throw new StateException(
                $"Unknown state backend '{backend}'; use one of: {string.Join(", ", Backends.Select(b => '"' + b + '"'))}."),
        };
}
