using LlmSpell.State.Memory;
using LlmSpell.State.Postgres;
using LlmSpell.State.Sqlite;

namespace LlmSpell.State;

/// <summary>Creates the configured state backend.</summary>
public static class StateStoreFactory
{
    /// <summary>The default cap on one stored value: 1 MiB of UTF-8 JSON.</summary>
    public const long DefaultMaxValueBytes = 1024 * 1024;

    /// <summary>The backend names <see cref="Create"/> accepts.</summary>
    public static IReadOnlyList<string> Backends { get; } = ["sqlite", "postgres", "memory"];

    /// <summary>
    /// A store for <paramref name="backend"/>: "sqlite" (the file at <paramref name="path"/>, shared by every process that
    /// opens it), "postgres" (the database <paramref name="postgres"/> leads to, shared by every instance that uses it;
    /// nothing connects before the first call) or "memory" (this process only). Each ignores what the others need.
    /// </summary>
    public static IStateStore Create(string backend, string path, long maxValueBytes = DefaultMaxValueBytes, PostgresConnectionSource? postgres = null) =>
        backend?.Trim().ToLowerInvariant() switch
        {
            "sqlite" => new SqliteStateStore(path, maxValueBytes),
            "postgres" => new PostgresStateStore(
                postgres ?? throw new StateException("The postgres state backend needs a connection string: name an environment variable or a file that holds it."),
                maxValueBytes),
            "memory" => new MemoryStateStore(maxValueBytes),
            _ => throw new StateException(
                $"Unknown state backend '{backend}'; use one of: {string.Join(", ", Backends.Select(b => '"' + b + '"'))}."),
        };
}
