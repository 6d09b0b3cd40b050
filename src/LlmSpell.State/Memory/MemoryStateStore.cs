namespace LlmSpell.State.Memory;

/// <summary>State kept in this process only (lost when it exits), with the same rules as the SQLite store.</summary>
public sealed class MemoryStateStore(long maxValueBytes = StateStoreFactory.DefaultMaxValueBytes) : IStateStore
{
    private readonly Dictionary<(string Scope, string Key), string> _values = [];
    private readonly Lock _lock = new();
    private readonly long _maxValueBytes = CheckedCap(maxValueBytes);

    public void Save(string scope, string key, string json)
    {
        StateValueRules.CheckKey(scope, key);
        StateValueRules.CheckValue(scope, key, json, _maxValueBytes);
        lock (_lock) _values[(scope, key)] = json;
    }

    public string? Load(string scope, string key)
    {
        StateValueRules.CheckKey(scope, key);
        lock (_lock) return _values.GetValueOrDefault((scope, key));
    }

    public bool Delete(string scope, string key)
    {
        StateValueRules.CheckKey(scope, key);
        lock (_lock) return _values.Remove((scope, key));
    }

    public IReadOnlyList<string> ListKeys(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        List<string> keys;
        lock (_lock) keys = [.. _values.Keys.Where(k => k.Scope == scope).Select(k => k.Key)];
        keys.Sort(StringComparer.Ordinal);
        return keys;
    }

    public void Dispose() { }

    private static long CheckedCap(long maxValueBytes)
    {
        StateValueRules.CheckMaxValueBytes(maxValueBytes);
        return maxValueBytes;
    }
}
