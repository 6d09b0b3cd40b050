using LlmSpell.State;

namespace LlmSpell.Tools.Tests.State;

/// <summary>The behaviour every backend shares; each backend's test class runs these against its own store.</summary>
public abstract class StateStoreContractTests : IDisposable
{
    protected TempDir Temp { get; } = new();

    protected abstract IStateStore CreateStore(long maxValueBytes = StateStoreFactory.DefaultMaxValueBytes);

    [Fact]
    public void SavedValueLoadsBack()
    {
        using var store = CreateStore();
        store.Save("session", "config", """{"model":"gpt","temperature":0.5,"tags":["a","ü"]}""");
        Assert.Equal("""{"model":"gpt","temperature":0.5,"tags":["a","ü"]}""", store.Load("session", "config"));
    }

    [Fact]
    public void MissingKeyLoadsNull()
    {
        using var store = CreateStore();
        Assert.Null(store.Load("session", "nothing"));
    }

    [Fact]
    public void SaveReplacesTheValue()
    {
        using var store = CreateStore();
        store.Save("s", "counter", "1");
        store.Save("s", "counter", "2");
        Assert.Equal("2", store.Load("s", "counter"));
        Assert.Equal(["counter"], store.ListKeys("s"));
    }

    [Fact]
    public void DeleteRemovesAndReportsWhetherSomethingWasThere()
    {
        using var store = CreateStore();
        store.Save("s", "k", "true");
        Assert.True(store.Delete("s", "k"));
        Assert.Null(store.Load("s", "k"));
        Assert.False(store.Delete("s", "k"));
    }

    [Fact]
    public void ListKeysIsSortedOrdinally()
    {
        using var store = CreateStore();
        // U+FFFD sorts after the surrogate pair of U+1F600 in UTF-16 order but before it in UTF-8 byte order.
        string[] keys = ["b", "a10", "B", "\uFFFD", "\U0001F600", "a2", "ä", "a"];
        foreach (var key in keys) store.Save("s", key, "0");
        Assert.Equal(keys.Order(StringComparer.Ordinal), store.ListKeys("s"));
    }

    [Fact]
    public void ScopesAreIsolated()
    {
        using var store = CreateStore();
        store.Save("alice", "k", "\"a\"");
        store.Save("bob", "k", "\"b\"");
        store.Save("bob", "only-bob", "1");

        Assert.Equal("\"a\"", store.Load("alice", "k"));
        Assert.Equal("\"b\"", store.Load("bob", "k"));
        Assert.Equal(["k"], store.ListKeys("alice"));
        Assert.True(store.Delete("alice", "k"));
        Assert.Equal("\"b\"", store.Load("bob", "k"));
        Assert.Empty(store.ListKeys("alice"));
        Assert.Empty(store.ListKeys("carol"));
    }

    [Fact]
    public void ValueAtTheCapIsStored()
    {
        using var store = CreateStore(maxValueBytes: 10);
        store.Save("s", "k", "ééééé"); // 5 characters, 10 UTF-8 bytes
        Assert.Equal("ééééé", store.Load("s", "k"));
    }

    [Fact]
    public void ValueOverTheCapIsRefusedWithItsSizeAndTheCap()
    {
        using var store = CreateStore(maxValueBytes: 10);
        store.Save("s", "k", "\"old\"");
        // 6 characters but 12 UTF-8 bytes: the cap counts bytes.
        var e = Assert.Throws<StateException>(() => store.Save("s", "k", "éééééé"));
        Assert.Contains("'k' in scope 's' is 12 bytes, over the 10-byte cap", e.Message);
        Assert.Contains("raise the state value cap", e.Message);
        Assert.Equal("\"old\"", store.Load("s", "k"));
    }

    [Fact]
    public void EmptyKeyIsRefused()
    {
        using var store = CreateStore();
        var e = Assert.Throws<StateException>(() => store.Save("s", "", "1"));
        Assert.Contains("must not be empty", e.Message);
    }

    [Fact]
    public void NonPositiveCapIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => CreateStore(maxValueBytes: 0));

    [Fact]
    public async Task ConcurrentWritersFromManyThreadsAllLand()
    {
        using var store = CreateStore();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(thread => Task.Run(() =>
        {
            for (var i = 0; i < 100; i++)
            {
                store.Save("s", $"t{thread}-{i:D3}", i.ToString());
                Assert.Equal(i.ToString(), store.Load("s", $"t{thread}-{i:D3}"));
            }
        })));
        Assert.Equal(400, store.ListKeys("s").Count);
    }

    public virtual void Dispose()
    {
        Temp.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class MemoryStateStoreTests : StateStoreContractTests
{
    protected override IStateStore CreateStore(long maxValueBytes = StateStoreFactory.DefaultMaxValueBytes) =>
        StateStoreFactory.Create("memory", "", maxValueBytes);
}

public sealed class PostgresStateStoreContractTests : StateStoreContractTests
{
    private readonly PostgresTestDatabase _database = PostgresTestDatabase.Create();

    protected override IStateStore CreateStore(long maxValueBytes = StateStoreFactory.DefaultMaxValueBytes) =>
        StateStoreFactory.Create("postgres", "", maxValueBytes, _database.Source());

    public override void Dispose()
    {
        _database.Dispose();
        base.Dispose();
    }
}

public sealed class SqliteStateStoreContractTests : StateStoreContractTests
{
    protected override IStateStore CreateStore(long maxValueBytes = StateStoreFactory.DefaultMaxValueBytes) =>
        StateStoreFactory.Create("sqlite", Temp.File("state.db"), maxValueBytes);
}
