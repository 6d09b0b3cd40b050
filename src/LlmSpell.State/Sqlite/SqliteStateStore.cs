using Microsoft.Data.Sqlite;

namespace LlmSpell.State.Sqlite;

/// <summary>
/// State in one SQLite file (WAL journal, a busy timeout) that several kernels and service processes on a host may share.
/// One connection per store, used under a lock; the file is created with mode 0600, its directory with 0700.
/// </summary>
public sealed class SqliteStateStore : IStateStore
{
    /// <summary>How long a call waits for another process's write lock before failing.</summary>
    public static readonly TimeSpan DefaultBusyTimeout = TimeSpan.FromSeconds(5);

    private const string SaveSql =
        "INSERT INTO state (scope, key, value, updated_at) VALUES ($scope, $key, $value, strftime('%Y-%m-%dT%H:%M:%fZ', 'now')) " +
        "ON CONFLICT (scope, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at";

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();
    private readonly long _maxValueBytes;
    private readonly TimeSpan _busyTimeout;
    private bool _disposed;

    /// <summary>Opens (creating when missing) the state file at <paramref name="path"/>.</summary>
    /// <exception cref="StateException">The file or its directory cannot be created, or the file is not a usable state database.</exception>
    public SqliteStateStore(string path, long maxValueBytes = StateStoreFactory.DefaultMaxValueBytes)
        : this(path, maxValueBytes, DefaultBusyTimeout)
    {
    }

    /// <summary>With another busy timeout (tests use a short one to see the timeout's error).</summary>
    internal SqliteStateStore(string path, long maxValueBytes, TimeSpan busyTimeout)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        StateValueRules.CheckMaxValueBytes(maxValueBytes);
        _maxValueBytes = maxValueBytes;
        Path = System.IO.Path.GetFullPath(path);
        SqliteNative.EnsureInitialized();
        StateFile.CreateIfMissing(Path);
        _busyTimeout = busyTimeout;
        _connection = SqliteSchema.Open(Path, busyTimeout);
    }

    /// <summary>The full path of the state file.</summary>
    public string Path { get; }

    public void Save(string scope, string key, string json)
    {
        StateValueRules.CheckKey(scope, key);
        StateValueRules.CheckValue(scope, key, json, _maxValueBytes);
        Run($"save of '{key}' in scope '{scope}'", command =>
        {
            command.CommandText = SaveSql;
            command.Parameters.AddWithValue("$scope", scope);
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$value", json);
            return command.ExecuteNonQuery();
        });
    }

    public string? Load(string scope, string key)
    {
        StateValueRules.CheckKey(scope, key);
        return Run($"load of '{key}' in scope '{scope}'", command =>
        {
            command.CommandText = "SELECT value FROM state WHERE scope = $scope AND key = $key";
            command.Parameters.AddWithValue("$scope", scope);
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteScalar() as string;
        });
    }

    public bool Delete(string scope, string key)
    {
        StateValueRules.CheckKey(scope, key);
        return Run($"delete of '{key}' in scope '{scope}'", command =>
        {
            command.CommandText = "DELETE FROM state WHERE scope = $scope AND key = $key";
            command.Parameters.AddWithValue("$scope", scope);
            command.Parameters.AddWithValue("$key", key);
            return command.ExecuteNonQuery() > 0;
        });
    }

    public IReadOnlyList<string> ListKeys(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var keys = Run($"key listing of scope '{scope}'", command =>
        {
            command.CommandText = "SELECT key FROM state WHERE scope = $scope";
            command.Parameters.AddWithValue("$scope", scope);
            var found = new List<string>();
            using var reader = command.ExecuteReader();
            while (reader.Read()) found.Add(reader.GetString(0));
            return found;
        });
        // SQLite's BINARY collation orders UTF-8 bytes, which differs from UTF-16 ordinal order around surrogates.
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_disposed) return;
            _disposed = true;
            _connection.Dispose();
        }
    }

    private T Run<T>(string what, Func<SqliteCommand, T> body)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                using var command = _connection.CreateCommand();
                return body(command);
            }
            catch (SqliteException e)
            {
                throw SqliteErrors.ForOperation(what, Path, _busyTimeout, e);
            }
        }
    }
}
