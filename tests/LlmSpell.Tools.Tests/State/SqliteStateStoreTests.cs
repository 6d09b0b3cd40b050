using LlmSpell.State;
using LlmSpell.State.Sqlite;
using Microsoft.Data.Sqlite;

namespace LlmSpell.Tools.Tests.State;

/// <summary>What only the file backend promises: the file itself, reopening, sharing it between stores and processes.</summary>
public sealed class SqliteStateStoreTests : IDisposable
{
    private readonly TempDir _temp = new();

    [Fact]
    public void CreatesTheDirectoryAndAPrivateFile()
    {
        var path = _temp.Combine("nested", "deeper", "state.db");
        using (new SqliteStateStore(path)) { }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute,
            File.GetUnixFileMode(Path.GetDirectoryName(path)!));
    }

    [Fact]
    public void KeepsAnExistingFilesMode()
    {
        var path = _temp.File("state.db");
        File.WriteAllBytes(path, []);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        using (new SqliteStateStore(path)) { }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
    }

    [Fact]
    public void FileIsInWalModeWithTheStateTable()
    {
        var path = _temp.File("state.db");
        using (var store = new SqliteStateStore(path)) store.Save("s", "k", "[1,2]");

        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
        command.CommandText = "SELECT scope, key, value, updated_at FROM state";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(("s", "k", "[1,2]"), (reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        var updated = DateTimeOffset.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(updated, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void StateSurvivesReopening()
    {
        var path = _temp.File("state.db");
        using (var store = new SqliteStateStore(path))
        {
            store.Save("s", "kept", "{\"n\":1}");
            store.Save("s", "gone", "2");
            store.Delete("s", "gone");
        }

        using var reopened = new SqliteStateStore(path);
        Assert.Equal("{\"n\":1}", reopened.Load("s", "kept"));
        Assert.Equal(["kept"], reopened.ListKeys("s"));
    }

    [Fact]
    public void FileThatIsNotADatabaseIsRefusedWithThePathAndTheFix()
    {
        var path = _temp.Write("state.db", "this is a text file, not an SQLite database, and it is long enough to have a header");
        var e = Assert.Throws<StateException>(() => new SqliteStateStore(path));
        Assert.Contains($"The state file '{path}' is not a valid SQLite database", e.Message);
        Assert.Contains("Move it aside", e.Message);
    }

    [Fact]
    public void DatabaseWithAnotherStateTableIsRefused()
    {
        var path = _temp.File("other.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE state (id INTEGER PRIMARY KEY, payload BLOB)";
            command.ExecuteNonQuery();
        }

        var e = Assert.Throws<StateException>(() => new SqliteStateStore(path));
        Assert.Contains($"Cannot open the state file '{path}'", e.Message);
        Assert.Contains("point the state path at another file", e.Message);
    }

    [Fact]
    public void DirectoryAsPathIsRefused()
    {
        var e = Assert.Throws<StateException>(() => new SqliteStateStore(_temp.Path));
        Assert.Contains($"The state path '{_temp.Path}' is a directory", e.Message);
    }

    [Fact]
    public void DirectoryThatCannotBeCreatedIsRefusedWithThePath()
    {
        var file = _temp.Write("plain-file", "x"); // even root cannot create a directory inside a regular file
        var e = Assert.Throws<StateException>(() => new SqliteStateStore(Path.Combine(file, "sub", "state.db")));
        Assert.StartsWith($"Cannot create the state directory '{Path.Combine(file, "sub")}'", e.Message);
        Assert.Contains("point the state path at a writable place", e.Message);
    }

    [Fact]
    public void DisposedStoreRefusesCalls()
    {
        var store = new SqliteStateStore(_temp.File("state.db"));
        store.Dispose();
        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => store.Load("s", "k"));
    }

    [Fact]
    public async Task TwoStoresOnOneFileWriteConcurrentlyWithoutLockErrors()
    {
        var path = _temp.File("shared.db");
        using var first = new SqliteStateStore(path);
        using var second = new SqliteStateStore(path);
        var stores = new[] { first, second };

        await Task.WhenAll(Enumerable.Range(0, 6).Select(writer => Task.Run(() =>
        {
            var store = stores[writer % 2];
            for (var i = 0; i < 150; i++)
            {
                store.Save("shared", $"w{writer}-{i:D3}", $"{{\"i\":{i}}}");
                store.Save("shared", "last-writer", writer.ToString()); // every writer contends for the same row too
            }
        })));

        Assert.Equal(6 * 150 + 1, first.ListKeys("shared").Count);
        Assert.Equal("{\"i\":149}", second.Load("shared", "w4-149"));
        Assert.Equal(first.ListKeys("shared"), second.ListKeys("shared"));
    }

    [Fact]
    public async Task WriterInAnotherProcessIsWaitedFor()
    {
        var path = _temp.File("shared.db");
        using var store = new SqliteStateStore(path);
        // The other process holds the write lock for two seconds: the scenario is a slow writer, not a wait for a condition.
        await using var other = SqliteProcess.Start(_temp, path, """
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO state VALUES ('s', 'python', '1', 'now')")
            print("locked", flush=True)
            time.sleep(2.0)
            db.execute("COMMIT")
            """);
        await other.WaitForLineAsync("locked");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        store.Save("s", "dotnet", "2");
        Assert.True(watch.Elapsed > TimeSpan.FromMilliseconds(100), $"the save took {watch.Elapsed} while another process held the write lock");

        Assert.Equal(["dotnet", "python"], store.ListKeys("s"));
        await other.AssertExitedCleanlyAsync();
    }

    [Fact]
    public async Task WriterHoldingTheLockPastTheTimeoutGivesAClearError()
    {
        var path = _temp.File("shared.db");
        using var store = new SqliteStateStore(path, 1024, TimeSpan.FromMilliseconds(200));
        await using var other = SqliteProcess.Start(_temp, path, """
            db.execute("BEGIN IMMEDIATE")
            print("locked", flush=True)
            sys.stdin.readline()
            db.execute("ROLLBACK")
            """);
        await other.WaitForLineAsync("locked");

        var e = Assert.Throws<StateException>(() => store.Save("s", "k", "1"));
        Assert.Contains($"Timed out after 0.2 s state save of 'k' in scope 's' on '{path}'", e.Message);
        Assert.Contains("another process holds its write lock", e.Message);

        await other.SendLineAsync("go");
        await other.AssertExitedCleanlyAsync();
        store.Save("s", "k", "1");
    }

    [Fact]
    public async Task StoreAndAnotherProcessWriteConcurrently()
    {
        var path = _temp.File("shared.db");
        using var store = new SqliteStateStore(path);
        await using var other = SqliteProcess.Start(_temp, path, """
            print("ready", flush=True)
            sys.stdin.readline()
            for i in range(300):
                db.execute("INSERT OR REPLACE INTO state VALUES ('shared', ?, '0', 'now')", (f"py-{i:03}",))
                db.execute("INSERT OR REPLACE INTO state VALUES ('shared', 'last-writer', '\"py\"', 'now')")
            print("done", flush=True)
            """);
        await other.WaitForLineAsync("ready");

        await other.SendLineAsync("go");
        await Task.WhenAll(Enumerable.Range(0, 3).Select(writer => Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                store.Save("shared", $"net{writer}-{i:D3}", "1");
                store.Save("shared", "last-writer", "\"net\"");
            }
        })));
        await other.WaitForLineAsync("done");
        await other.AssertExitedCleanlyAsync();

        var keys = store.ListKeys("shared");
        Assert.Equal(300 + 300 + 1, keys.Count);
        Assert.Contains("py-299", keys);
        Assert.Contains("net2-099", keys);
    }

    public void Dispose() => _temp.Dispose();
}
