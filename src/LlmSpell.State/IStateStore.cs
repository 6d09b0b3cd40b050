namespace LlmSpell.State;

/// <summary>
/// Script state: values (JSON text) by scope and key. Thread-safe; several processes may share one SQLite file, and
/// several hosts one PostgreSQL database.
/// </summary>
public interface IStateStore : IDisposable
{
    /// <summary>Stores or replaces; throws <see cref="StateException"/> when the value is over the size cap.</summary>
    void Save(string scope, string key, string json);

    /// <summary>The stored JSON, or null.</summary>
    string? Load(string scope, string key);

    /// <summary>True when something was deleted.</summary>
    bool Delete(string scope, string key);

    /// <summary>Keys of a scope, sorted ordinally.</summary>
    IReadOnlyList<string> ListKeys(string scope);
}

public sealed class StateException(string message, Exception? inner = null) : Exception(message, inner);
