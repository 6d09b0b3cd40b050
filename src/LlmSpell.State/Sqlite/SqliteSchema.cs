using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LlmSpell.State.Sqlite;

/// <summary>Opens the state file: the connection settings every process sharing it must use, and the table.</summary>
internal static class SqliteSchema
{
    private const string CreateTableSql =
        "CREATE TABLE IF NOT EXISTS state (" +
        "scope TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, updated_at TEXT NOT NULL, " +
        "PRIMARY KEY (scope, key)) WITHOUT ROWID";

    public static SqliteConnection Open(string path, TimeSpan busyTimeout)
    {
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            // The store keeps its one connection open; a pool would only keep the file open after Dispose.
            Pooling = false,
            DefaultTimeout = (int)Math.Ceiling(busyTimeout.TotalSeconds),
        }.ToString();

        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            // busy_timeout first: the switch to WAL and the table creation may wait for another process.
            Execute(connection, $"PRAGMA busy_timeout = {((long)busyTimeout.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)}");
            var mode = Scalar(connection, "PRAGMA journal_mode = WAL");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new StateException(
                    $"The state file '{path}' cannot use SQLite's WAL journal (it stayed in '{mode}' mode), which processes sharing it need; " +
                    "put the state file on a local file system.");
            // NORMAL is safe in WAL mode (no corruption); a power cut may only lose the last commits.
            Execute(connection, "PRAGMA synchronous = NORMAL");
            Execute(connection, CreateTableSql);
            // A table named state from another program would fail later with a vaguer message.
            Execute(connection, "SELECT scope, key, value, updated_at FROM state LIMIT 0");
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw SqliteErrors.ForOpen(path, busyTimeout, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() as string;
    }
}
