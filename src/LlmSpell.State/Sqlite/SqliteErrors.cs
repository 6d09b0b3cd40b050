using Microsoft.Data.Sqlite;

namespace LlmSpell.State.Sqlite;

/// <summary>SQLite failures as <see cref="StateException"/>s that say what to do.</summary>
internal static class SqliteErrors
{
    private const int Busy = 5, Locked = 6, ReadOnly = 8, IoError = 10, Corrupt = 11, Full = 13, CantOpen = 14, NotADatabase = 26;

    public static StateException ForOpen(string path, TimeSpan busyTimeout, SqliteException e) => e.SqliteErrorCode switch
    {
        Corrupt or NotADatabase => Damaged(path, e),
        Busy or Locked => Contended($"opening the state file '{path}'", busyTimeout, e),
        _ => new StateException(
            $"Cannot open the state file '{path}': {Detail(e)}. Check that it is a readable and writable SQLite file, " +
            "or point the state path at another file.", e),
    };

    public static StateException ForOperation(string what, string path, TimeSpan busyTimeout, SqliteException e) => e.SqliteErrorCode switch
    {
        Corrupt or NotADatabase => Damaged(path, e),
        Busy or Locked => Contended($"state {what} on '{path}'", busyTimeout, e),
        Full => new StateException($"State {what} failed: the disk holding '{path}' is full; free space and retry.", e),
        ReadOnly or CantOpen or IoError => new StateException(
            $"State {what} failed on '{path}': {Detail(e)}. Check the file and its directory are writable (and not removed).", e),
        _ => new StateException($"State {what} failed on '{path}': {Detail(e)}", e),
    };

    /// <summary>SQLite's message without its closing period, to sit inside ours.</summary>
    private static string Detail(SqliteException e) => e.Message.TrimEnd('.');

    private static StateException Damaged(string path, SqliteException e) => new(
        $"The state file '{path}' is not a valid SQLite database or is damaged ({Detail(e)}). " +
        "Move it aside (its saved state is then gone) so a new one is created, or point the state path at another file.", e);

    private static StateException Contended(string what, TimeSpan busyTimeout, SqliteException e) => new(
        $"Timed out after {busyTimeout.TotalSeconds:0.#} s {what}: another process holds its write lock ({Detail(e)}). " +
        "Retry, or find the process that keeps the file locked.", e);
}
