using System.Diagnostics;
using Npgsql;
using Polly;

namespace LlmSpell.State.Postgres;

/// <summary>
/// State in a PostgreSQL database, shared by every instance of a cluster. Nothing connects before the first call:
/// it reads the connection string, creates the versioned tables if needed (<see cref="PostgresSchema"/>) and runs
/// on a pool of connections (Npgsql's slim, AOT-friendly data source). A lost connection is retried a few times
/// (<see cref="PostgresRetry"/>); what stays down is a <see cref="StateException"/> for the script, and the next call
/// starts over, so the store works again once the database is back.
/// </summary>
public sealed class PostgresStateStore : IStateStore
{
    private const string SaveSql =
        $"INSERT INTO {PostgresSchema.StateTable} (scope, key, value, updated_at) VALUES ($1, $2, $3, now()) " +
        "ON CONFLICT (scope, key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at";

    private readonly PostgresConnectionSource _source;
    private readonly long _maxValueBytes;
    private readonly PostgresRetryOptions _retry;
    private readonly Lock _lock = new();
    private readonly List<NpgsqlDataSource> _retired = [];
    private Target? _target;
    private bool _reread;
    private bool _disposed;
    private long _attempts;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxValueBytes"/> is not positive.</exception>
    public PostgresStateStore(PostgresConnectionSource source, long maxValueBytes = StateStoreFactory.DefaultMaxValueBytes)
        : this(source, maxValueBytes, PostgresRetryOptions.Default)
    {
    }

    /// <summary>With other retry timings (tests ride out a restart with a longer budget).</summary>
    internal PostgresStateStore(PostgresConnectionSource source, long maxValueBytes, PostgresRetryOptions retry)
    {
        ArgumentNullException.ThrowIfNull(source);
        StateValueRules.CheckMaxValueBytes(maxValueBytes);
        _source = source;
        _maxValueBytes = maxValueBytes;
        _retry = retry;
    }

    /// <summary>Where the connection string comes from.</summary>
    public string Origin => _source.Origin;

    /// <summary>Attempts made so far, retries included (tests watch a call retrying).</summary>
    internal long Attempts => Interlocked.Read(ref _attempts);

    public void Save(string scope, string key, string json)
    {
        StateValueRules.CheckKey(scope, key);
        StateValueRules.CheckValue(scope, key, json, _maxValueBytes);
        Run($"save of '{key}' in scope '{scope}'", connection =>
        {
            using var command = Command(connection, SaveSql, scope, key, json);
            return command.ExecuteNonQuery();
        });
    }

    public string? Load(string scope, string key)
    {
        StateValueRules.CheckKey(scope, key);
        return Run($"load of '{key}' in scope '{scope}'", connection =>
        {
            using var command = Command(connection, $"SELECT value FROM {PostgresSchema.StateTable} WHERE scope = $1 AND key = $2", scope, key);
            return command.ExecuteScalar() as string;
        });
    }

    public bool Delete(string scope, string key)
    {
        StateValueRules.CheckKey(scope, key);
        return Run($"delete of '{key}' in scope '{scope}'", connection =>
        {
            using var command = Command(connection, $"DELETE FROM {PostgresSchema.StateTable} WHERE scope = $1 AND key = $2", scope, key);
            return command.ExecuteNonQuery() > 0;
        });
    }

    public IReadOnlyList<string> ListKeys(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var keys = Run($"key listing of scope '{scope}'", connection =>
        {
            using var command = Command(connection, $"SELECT key FROM {PostgresSchema.StateTable} WHERE scope = $1", scope);
            var found = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read()) found.Add(reader.GetString(0));
            return found;
        });
        // The database's collation is not ordinal; the contract is.
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _target?.DataSource.Dispose();
            foreach (var old in _retired) old.Dispose();
            _target = null;
        }
    }

    private T Run<T>(string what, Func<NpgsqlConnection, T> body)
    {
        var target = CurrentTarget();
        var started = Stopwatch.GetTimestamp();
        var attempts = 0;
        try
        {
            return PostgresRetry.Execute(target.Pipeline, () =>
            {
                Interlocked.Increment(ref _attempts);
                using var connection = target.DataSource.OpenConnection();
                target.EnsureSchema(connection);
                return body(connection);
            }, out attempts);
        }
        catch (NpgsqlException e)
        {
            // A rotated password (a Secret updated in place) is read again on the next call.
            if (PostgresErrors.IsCredentialFailure(e))
                lock (_lock) _reread = true;
            throw PostgresErrors.For(what, target.ConnectionString, _source.Origin, e, attempts, Stopwatch.GetElapsedTime(started));
        }
    }

    /// <summary>
    /// The data source, made on first use from the connection string as it is then, and made again when the
    /// connection string changed after the database rejected the credentials.
    /// </summary>
    private Target CurrentTarget()
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_target is not null && !_reread) return _target;
            var connectionString = _source.Read();
            _reread = false;
            if (_target is not null)
            {
                if (_target.ConnectionString.ConnectionString == connectionString.ConnectionString) return _target;
                // Calls in flight may still use the old one: it is disposed with the store.
                _retired.Add(_target.DataSource);
            }
            var builder = new NpgsqlSlimDataSourceBuilder(connectionString.ConnectionString);
            // TLS (SSL Mode=Require, VerifyFull, ...) is opt-in with the slim builder.
            builder.EnableTransportSecurity();
            var dataSource = builder.Build();
            _target = new Target(connectionString, dataSource, PostgresRetry.Build(_retry, dataSource));
            return _target;
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params string[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = value });
        return command;
    }

    private sealed class Target(PostgresConnectionString connectionString, NpgsqlDataSource dataSource, ResiliencePipeline pipeline)
    {
        private readonly Lock _schemaLock = new();
        private volatile bool _schemaReady;

        public PostgresConnectionString ConnectionString { get; } = connectionString;
        public NpgsqlDataSource DataSource { get; } = dataSource;
        public ResiliencePipeline Pipeline { get; } = pipeline;

        /// <summary>Once per data source; a failure leaves it to the next call.</summary>
        public void EnsureSchema(NpgsqlConnection connection)
        {
            if (_schemaReady) return;
            lock (_schemaLock)
            {
                if (_schemaReady) return;
                PostgresSchema.Ensure(connection, ConnectionString);
                _schemaReady = true;
            }
        }
    }
}
