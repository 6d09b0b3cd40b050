using LlmSpell.State;
using LlmSpell.State.Postgres;

namespace LlmSpell.Tools.Tests.State;

/// <summary>
/// What the PostgreSQL store adds to the shared contract (<see cref="PostgresStateStoreContractTests"/>): instances
/// sharing one database, the versioned schema created once under concurrency, lost connections, and messages that
/// name the fix but never the password. Each test has its own database; the outage tests their own server.
/// </summary>
public sealed class PostgresStateStoreTests : IDisposable
{
    private readonly PostgresTestDatabase _database = PostgresTestDatabase.Create();

    /// <summary>Retries as in production, but quicker: the failure tests need not wait seconds for each case.</summary>
    private static readonly PostgresRetryOptions QuickRetry = new(2, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(2));

    private PostgresStateStore Store(string? connectionString = null, long maxValueBytes = StateStoreFactory.DefaultMaxValueBytes) =>
        new(_database.Source(connectionString), maxValueBytes, QuickRetry);

    public void Dispose() => _database.Dispose();

    [Fact]
    public void TwoStores_LikeTwoInstancesOfTheService_SeeEachOthersWrites()
    {
        using var a = Store();
        using var b = Store();
        a.Save("team", "plan", """{"step":1}""");
        Assert.Equal("""{"step":1}""", b.Load("team", "plan"));

        b.Save("team", "plan", """{"step":2}""");
        b.Save("team", "owner", "\"b\"");
        Assert.Equal("""{"step":2}""", a.Load("team", "plan"));
        Assert.Equal(["owner", "plan"], a.ListKeys("team"));

        Assert.True(a.Delete("team", "owner"));
        Assert.Null(b.Load("team", "owner"));
        Assert.False(b.Delete("team", "owner"));
    }

    [Fact]
    public void TheSchemaIsCreatedOnFirstUse_AndItsVersionIsRecorded()
    {
        using var store = Store();
        Assert.Empty(_database.Query("SELECT 1 FROM pg_tables WHERE tablename LIKE 'llmspell%'"));
        Assert.Null(store.Load("s", "k"));

        Assert.Equal([PostgresSchema.CurrentVersion], _database.Query("SELECT version FROM llmspell_schema"));
        Assert.Equal(["key", "scope", "updated_at", "value"],
            _database.Query("SELECT column_name::text FROM information_schema.columns WHERE table_name = 'llmspell_state' ORDER BY 1"));
        Assert.Equal(["scope", "key"], _database.Query(
            "SELECT a.attname::text FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) " +
            "WHERE i.indrelid = 'llmspell_state'::regclass AND i.indisprimary ORDER BY array_position(i.indkey::int2[], a.attnum)"));
    }

    [Fact]
    public void SaveIsAnUpsert_ThatMovesUpdatedAt()
    {
        using var store = Store();
        store.Save("s", "k", "1");
        var first = (DateTime)_database.Query("SELECT updated_at FROM llmspell_state WHERE scope = 's' AND key = 'k'").Single()!;
        store.Save("s", "k", "2");
        var second = (DateTime)_database.Query("SELECT updated_at FROM llmspell_state WHERE scope = 's' AND key = 'k'").Single()!;
        Assert.Equal(["2"], _database.Query("SELECT value FROM llmspell_state"));
        Assert.True(second > first, $"updated_at stayed at {first:O}");
    }

    [Fact]
    public async Task ManyInstancesStartingAtOnce_CreateTheSchemaExactlyOnce()
    {
        const int instances = 8;
        var stores = Enumerable.Range(0, instances).Select(_ => Store()).ToList();
        try
        {
            using var start = new Barrier(instances);
            await Task.WhenAll(stores.Select((store, i) => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                store.Save("boot", $"instance-{i}", "true");
            }, TaskCreationOptions.LongRunning)));

            Assert.Equal([PostgresSchema.CurrentVersion], _database.Query("SELECT version FROM llmspell_schema"));
            Assert.Equal(instances, stores[0].ListKeys("boot").Count);
        }
        finally
        {
            foreach (var store in stores) store.Dispose();
        }
    }

    [Fact]
    public void ADatabaseAtANewerSchemaVersion_IsRefusedWithTheUpgradeHint()
    {
        using (var first = Store()) first.Save("s", "k", "1");
        _database.Execute("INSERT INTO llmspell_schema (version) VALUES (2)");

        using var store = Store();
        var e = Assert.Throws<StateException>(() => store.Load("s", "k"));
        Assert.Contains("schema version 2, newer than this llmspell (version 1)", e.Message);
        Assert.Contains("upgrade llmspell", e.Message);
    }

    [Fact]
    public void AStateTableThatIsNotOurs_IsRefusedNamingIt()
    {
        _database.Execute("CREATE TABLE llmspell_state (id integer)");
        using var store = Store();
        var e = Assert.Throws<StateException>(() => store.Save("s", "k", "1"));
        Assert.Contains("llmspell_state that llmspell did not create", e.Message);
        Assert.Contains("another database or schema", e.Message);
    }

    [Fact]
    public void TheSizeCapIsTheSameAsSqlites_AndNothingIsWrittenOverIt()
    {
        using var store = Store(maxValueBytes: 1024);
        store.Save("s", "k", "\"" + new string('x', 1022) + "\"");
        var e = Assert.Throws<StateException>(() => store.Save("s", "k", "\"" + new string('é', 600) + "\""));
        Assert.Contains("'k' in scope 's' is 1202 bytes, over the 1024-byte cap", e.Message);
        Assert.Equal(1024, store.Load("s", "k")!.Length);
    }

    [Fact]
    public void ANulInAKey_IsAClearError()
    {
        using var store = Store();
        var e = Assert.Throws<StateException>(() => store.Save("s", "a\0b", "1"));
        Assert.Contains("cannot store the NUL character", e.Message);
    }

    [Fact]
    public void NothingConnectsBeforeTheFirstCall_AndAMissingVariableIsNamed()
    {
        var variable = "LLMSPELL_TEST_UNSET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using var store = new PostgresStateStore(PostgresConnectionSource.FromEnvironment(variable, "[state] connection_string_env"));
        var e = Assert.Throws<StateException>(() => store.Load("s", "k"));
        Assert.Equal(
            $"The environment variable {variable} ([state] connection_string_env) is not set; set it to the PostgreSQL connection string, " +
            "e.g. Host=db.example;Port=5432;Database=llmspell;Username=llmspell;Password=... (or a postgresql:// URI).", e.Message);
    }

    [Fact]
    public void TheConnectionStringIsReadFromTheEnvironmentVariableOnFirstUse()
    {
        var variable = "LLMSPELL_TEST_DSN_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        using var store = new PostgresStateStore(PostgresConnectionSource.FromEnvironment(variable));
        Environment.SetEnvironmentVariable(variable, _database.ConnectionString);
        try
        {
            store.Save("s", "k", "\"env\"");
            Assert.Equal("\"env\"", store.Load("s", "k"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void APostgresqlUri_AsOperatorsPutInSecrets_IsAccepted()
    {
        var host = TestPostgres.Get(_database.ConnectionString, "Host");
        var port = TestPostgres.Get(_database.ConnectionString, "Port");
        var user = TestPostgres.Get(_database.ConnectionString, "Username");
        var uri = $"postgresql://{user}:{Uri.EscapeDataString(_database.Password)}@{host}:{port}/{_database.Name}?sslmode=disable&application_name=uri-test";
        using var store = Store(uri);
        store.Save("s", "k", "\"uri\"");
        Assert.Equal("\"uri\"", store.Load("s", "k"));
        Assert.Equal(["uri-test"], _database.Query("SELECT DISTINCT application_name::text FROM pg_stat_activity WHERE application_name = 'uri-test'"));
    }

    [Fact]
    public void ARotatedSecretFile_IsReadAgainAfterTheDatabaseRejectsTheOldPassword()
    {
        using var temp = new TempDir();
        var file = temp.Write("dsn", TestPostgres.With(_database.ConnectionString, "Password", "rotated-away-0451") + "\n");
        using var store = new PostgresStateStore(PostgresConnectionSource.FromFile(file, "[state] connection_string_file"));

        var e = Assert.Throws<StateException>(() => store.Save("s", "k", "1"));
        Assert.Contains($"rejected the credentials of user '{TestPostgres.Get(_database.ConnectionString, "Username")}'", e.Message);
        Assert.Contains($"the file {file} ([state] connection_string_file)", e.Message);

        File.WriteAllText(file, _database.ConnectionString + "\n");
        store.Save("s", "k", "1");
        Assert.Equal("1", store.Load("s", "k"));
    }

    [Fact]
    public void AMissingDatabase_IsNamedWithTheFix()
    {
        using var store = Store(TestPostgres.With(_database.ConnectionString, "Database", "llmspell_no_such_db"));
        var e = Assert.Throws<StateException>(() => store.Load("s", "k"));
        Assert.Contains("database \"llmspell_no_such_db\" does not exist", e.Message);
        Assert.Contains("CREATE DATABASE", e.Message);
    }

    /// <summary>
    /// The privileges the README promises: a user without CREATE on the schema is told what to grant; once the tables
    /// exist, SELECT on llmspell_schema and SELECT, INSERT, UPDATE, DELETE on llmspell_state are enough.
    /// </summary>
    [Fact]
    public void AUserWithoutCreate_IsToldWhatToGrant_AndNeedsOnlyTableGrantsOnceTheTablesExist()
    {
        var role = "llmspell_t_app_" + Guid.NewGuid().ToString("N")[..8];
        var rolePassword = "app-" + Guid.NewGuid().ToString("N");
        _database.Execute($"CREATE ROLE {role} LOGIN PASSWORD '{rolePassword}'");
        try
        {
            var asRole = TestPostgres.With(TestPostgres.With(_database.ConnectionString, "Username", role), "Password", rolePassword);
            using (var early = Store(asRole))
            {
                var e = Assert.Throws<StateException>(() => early.Save("s", "k", "1"));
                Assert.Contains($"user '{role}' lacks a privilege", e.Message);
                Assert.Contains("grant it CREATE on the schema", e.Message);
                Assert.DoesNotContain(rolePassword, e.ToString());
            }

            using (var owner = Store()) owner.Load("s", "k");
            _database.Execute($"GRANT SELECT ON llmspell_schema TO {role}");
            _database.Execute($"GRANT SELECT, INSERT, UPDATE, DELETE ON llmspell_state TO {role}");
            using var app = Store(asRole);
            app.Save("s", "k", "1");
            app.Save("s", "k", "2");
            Assert.Equal(["k"], app.ListKeys("s"));
            Assert.True(app.Delete("s", "k"));
        }
        finally
        {
            _database.Execute($"DROP OWNED BY {role}");
            _database.Execute($"DROP ROLE {role}");
        }
    }

    /// <summary>Every way a connection string reaches a message: the password is in none of them, inner exceptions included.</summary>
    [Fact]
    public void ThePasswordNeverAppearsInAnyMessage()
    {
        var password = _database.Password;
        var wrong = "Wr0ng-" + Guid.NewGuid().ToString("N");
        var closedPort = FreePort();
        var attempts = new (string Case, string ConnectionString, string Expected)[]
        {
            ("wrong password", TestPostgres.With(_database.ConnectionString, "Password", wrong), "rejected the credentials"),
            ("server not listening", TestPostgres.With(_database.ConnectionString, "Port", closedPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                $"cannot reach PostgreSQL at {TestPostgres.Get(_database.ConnectionString, "Host")}:{closedPort} (connection refused"),
            ("unknown keyword", _database.ConnectionString + ";Colour=blue", "is not valid"),
            ("unterminated quote", $"Host=127.0.0.1;Password='{password};Database=x", "is not valid"),
            ("bad port", $"Host=127.0.0.1;Password={password};Port=http", "is not valid"),
            ("URI, unknown parameter", $"postgresql://u:{password}@127.0.0.1:1/db?colour=blue", "does not translate"),
            ("URI, unreachable", $"postgresql://u:{Uri.EscapeDataString(password)}@127.0.0.1:{closedPort}/db", "cannot reach PostgreSQL"),
            ("no host", $"Password={password};Database=x", "names no server"),
        };
        foreach (var (name, connectionString, expected) in attempts)
        {
            using var store = Store(connectionString);
            var e = Assert.Throws<StateException>(() => store.Save("s", "k", "1"));
            var all = e.ToString();
            Assert.True(e.Message.Contains(expected, StringComparison.Ordinal), $"{name}: expected \"{expected}\" in: {e.Message}");
            Assert.False(all.Contains(password, StringComparison.Ordinal), $"{name}: the password is in: {all}");
            Assert.False(all.Contains(wrong, StringComparison.Ordinal), $"{name}: the wrong password is in: {all}");
        }
    }

    [Fact]
    public void InspectSaysWhereTheConnectionStringPoints_WithoutThePassword()
    {
        var (usable, description) = _database.Source().Inspect();
        Assert.True(usable, description);
        string Part(string key) => TestPostgres.Get(_database.ConnectionString, key);
        Assert.Equal($"set; {Part("Host")}:{Part("Port")}, database {_database.Name}, user {Part("Username")}", description);
        Assert.DoesNotContain(_database.Password, description);

        using var temp = new TempDir();
        var (fileUsable, fileDescription) = PostgresConnectionSource.FromFile(temp.File("missing"), "[state] connection_string_file").Inspect();
        Assert.False(fileUsable);
        Assert.Contains($"the file {temp.File("missing")} ([state] connection_string_file) does not exist", fileDescription);
    }

    /// <summary>
    /// The server goes away mid-run (pg_ctl stop -m fast on this test's own server): the call is retried, then fails
    /// with a clear StateException; once the server is back the same store works again.
    /// </summary>
    [Fact]
    public void AServerStoppedMidRun_IsAClearErrorAfterRetries_AndTheStoreRecoversWhenItIsBack()
    {
        using var server = TestPostgresServer.Start();
        using var database = PostgresTestDatabase.Create(server);
        using var store = new PostgresStateStore(database.Source());
        store.Save("s", "before", "1");

        server.Stop();
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var e = Assert.Throws<StateException>(() => store.Save("s", "during", "2"));
        watch.Stop();
        Assert.Matches(@"^State save of 'during' in scope 's' failed: (cannot reach PostgreSQL at 127\.0\.0\.1:\d+ \(connection refused|the PostgreSQL server at 127\.0\.0\.1:\d+ is shutting down)", e.Message);
        Assert.Matches(@"still after [2-5] attempts over \d+\.\d s", e.Message);
        Assert.True(watch.Elapsed > TimeSpan.FromMilliseconds(200), $"no backoff between attempts: {watch.Elapsed}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"the retries took {watch.Elapsed}");
        Assert.DoesNotContain(database.Password, e.ToString());
        Assert.Throws<StateException>(() => store.Load("s", "before"));

        server.Restart();
        Assert.Equal("1", store.Load("s", "before"));
        store.Save("s", "after", "3");
        Assert.Equal(["after", "before"], store.ListKeys("s"));
    }

    /// <summary>A call made while the server is down, that comes back within the retry budget, succeeds without an error.</summary>
    [Fact]
    public async Task ACallDuringARestart_IsRiddenOutByTheRetries()
    {
        using var server = TestPostgresServer.Start();
        using var database = PostgresTestDatabase.Create(server);
        var patient = new PostgresRetryOptions(MaxRetries: 60, Delay: TimeSpan.FromMilliseconds(100), MaxDelay: TimeSpan.FromMilliseconds(500), Budget: TimeSpan.FromSeconds(60));
        using var store = new PostgresStateStore(database.Source(), StateStoreFactory.DefaultMaxValueBytes, patient);
        store.Save("s", "k", "1");

        server.Stop();
        var before = store.Attempts;
        var save = Task.Run(() => store.Save("s", "k", "2"));
        await Wait.UntilAsync(() => store.Attempts >= before + 3 || save.IsCompleted, TimeSpan.FromSeconds(30), "the save to fail and retry while the server is down");
        Assert.False(save.IsCompleted, $"the save finished while the server was down: {save.Exception}");
        server.Restart();
        await save.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal("2", store.Load("s", "k"));
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
