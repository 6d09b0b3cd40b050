using System.Text;

namespace LlmSpell.State;

/// <summary>The argument rules both stores share, so the SQLite and memory backends refuse the same things with the same words.</summary>
internal static class StateValueRules
{
    public static void CheckMaxValueBytes(long maxValueBytes)
    {
        if (maxValueBytes <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxValueBytes), maxValueBytes, "The state value cap must be a positive number of bytes.");
    }

    public static void CheckKey(string scope, string key)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0)
            throw new StateException($"State key must not be empty (scope '{scope}'); give the value a name.");
    }

    /// <summary>Throws when <paramref name="json"/> is larger, in UTF-8 bytes, than <paramref name="maxValueBytes"/>.</summary>
    public static void CheckValue(string scope, string key, string json, long maxValueBytes)
    {
        ArgumentNullException.ThrowIfNull(json);
        var bytes = Encoding.UTF8.GetByteCount(json);
        if (bytes > maxValueBytes)
            throw new StateException(
                $"State value '{key}' in scope '{scope}' is {bytes} bytes, over the {maxValueBytes}-byte cap; " +
                "store a smaller value (split it over several keys) or raise the state value cap.");
    }
}
