using Npgsql;

namespace LlmSpell.State.Postgres;

/// <summary>
/// The tables, versioned: <c>llmspell_schema</c> records each applied version, <c>llmspell_state</c> holds the values.
/// They are created in the connection's first search_path schema on first use. Instances that start together take
/// one transaction-level advisory lock, so exactly one of them creates and records each version; the others then
/// find it done. A database already at <see cref="CurrentVersion"/> needs no DDL privilege and takes no lock.
/// </summary>
internal static class PostgresSchema
{
    public const string SchemaTable = "llmspell_schema";
    public const string StateTable = "llmspell_state";

    /// <summary>The version this build writes and reads.</summary>
    public const int CurrentVersion = 1;

    /// <summary>pg_advisory_xact_lock's key: "llmspell" in ASCII. Every llmspell instance on a database shares it.</summary>
    public const long LockKey = 0x6c6c_6d73_7065_6c6c;

    /// <summary>Version N's statements, applied in order to a database at version N-1.</summary>
    private static readonly string[][] Migrations =
    [
        [
            $"CREATE TABLE {StateTable} (" +
            "scope text NOT NULL, key text NOT NULL, value text NOT NULL, " +
            "updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (scope, key))",
        ],
    ];

    private const string CreateSchemaTableSql =
        $"CREATE TABLE IF NOT EXISTS {SchemaTable} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())";

    /// <summary>
    /// Brings the database to <see cref="CurrentVersion"/>. Throws <see cref="StateException"/> when it is newer than
    /// this build or its tables are not llmspell's; other <see cref="NpgsqlException"/>s (connection, privileges) pass through.
    /// </summary>
    public static void Ensure(NpgsqlConnection connection, PostgresConnectionString target)
    {
        try
        {
            // The version is read without the lock first: the common case (already current) needs nothing more.
            var version = ReadVersionUnlocked(connection);
            if (version is null or < CurrentVersion)
                Migrate(connection, target);
            else
                CheckNotNewer(version.Value, target);

            // A table of this name from another program would fail later with a vaguer message.
            Execute(connection, null, $"SELECT scope, key, value, updated_at FROM {StateTable} LIMIT 0");
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedColumn or PostgresErrorCodes.DuplicateTable)
        {
            throw new StateException(target.Redact(
                $"The database {target.Database} on {target.Endpoint} has a table {SchemaTable} or {StateTable} that llmspell did not create " +
                $"({e.MessageText}); drop or rename it, or point llmspell at another database or schema (Search Path=... in the connection string)."), e);
        }
    }

    /// <summary>Under the advisory lock, in one transaction: create the version table, then apply each missing version.</summary>
    private static void Migrate(NpgsqlConnection connection, PostgresConnectionString target)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, $"SELECT pg_advisory_xact_lock({LockKey})");
        Execute(connection, transaction, CreateSchemaTableSql);
        using (var read = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {SchemaTable}", connection, transaction))
        {
            var version = (int)read.ExecuteScalar()!;
            CheckNotNewer(version, target);
            for (var next = version + 1; next <= CurrentVersion; next++)
            {
                foreach (var sql in Migrations[next - 1]) Execute(connection, transaction, sql);
                Execute(connection, transaction, $"INSERT INTO {SchemaTable} (version) VALUES ({next})");
            }
        }
        transaction.Commit();
    }

    /// <summary>The recorded version, or null when the version table does not exist yet (no lock, no DDL).</summary>
    private static int? ReadVersionUnlocked(NpgsqlConnection connection)
    {
        using (var exists = new NpgsqlCommand($"SELECT to_regclass('{SchemaTable}') IS NOT NULL", connection))
            if (exists.ExecuteScalar() is not true) return null;
        using var read = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {SchemaTable}", connection);
        return (int)read.ExecuteScalar()!;
    }

    private static void CheckNotNewer(int version, PostgresConnectionString target)
    {
        if (version > CurrentVersion)
            throw new StateException(
                $"The llmspell tables in database {target.Database} on {target.Endpoint} are at schema version {version}, newer than this llmspell " +
                $"(version {CurrentVersion}); upgrade llmspell on this instance, or point it at another database.");
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        command.ExecuteNonQuery();
    }
}
