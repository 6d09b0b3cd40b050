using LlmSpell.State;
using LlmSpell.State.Memory;
using LlmSpell.State.Postgres;
using LlmSpell.State.Sqlite;

namespace LlmSpell.Tools.Tests.State;

public sealed class StateStoreFactoryTests
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("SQLite")]
    public void SqliteBackendOpensTheFile(string backend)
    {
        using var temp = new TempDir();
        using var store = StateStoreFactory.Create(backend, temp.File("state.db"), 100);
        Assert.Equal(temp.File("state.db"), Assert.IsType<SqliteStateStore>(store).Path);
    }

    [Fact]
    public void MemoryBackendNeedsNoFile()
    {
        using var store = StateStoreFactory.Create("memory", "/nonexistent/ignored.db", 100);
        Assert.IsType<MemoryStateStore>(store);
        Assert.False(File.Exists("/nonexistent/ignored.db"));
    }

    [Fact]
    public void PostgresBackendConnectsOnlyOnFirstUse()
    {
        // The variable is unset: creating the store must not read it, let alone connect.
        var source = PostgresConnectionSource.FromEnvironment("LLMSPELL_TEST_NEVER_SET_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant());
        using var store = StateStoreFactory.Create("postgres", "/nonexistent/ignored.db", 100, source);
        Assert.Equal(source.Origin, Assert.IsType<PostgresStateStore>(store).Origin);
        Assert.False(File.Exists("/nonexistent/ignored.db"));
    }

    [Fact]
    public void PostgresBackendWithoutAConnectionSourceSaysWhatItNeeds()
    {
        var e = Assert.Throws<StateException>(() => StateStoreFactory.Create("postgres", "", 100));
        Assert.Contains("needs a connection string", e.Message);
    }

    [Fact]
    public void UnknownBackendNamesItAndTheChoices()
    {
        var e = Assert.Throws<StateException>(() => StateStoreFactory.Create("redis", "x", 100));
        Assert.Equal("Unknown state backend 'redis'; use one of: \"sqlite\", \"postgres\", \"memory\".", e.Message);
    }
}
