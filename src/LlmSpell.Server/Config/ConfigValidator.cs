namespace LlmSpell.Server.Config;

/// <summary>Runs every key's own check and the cross-key checks. Each problem names the key, its source and the expected value.</summary>
public static class ConfigValidator
{
    public static IEnumerable<ConfigProblem> Validate(
        LlmSpellOptions o,
        Func<string, ConfigLocation?> locationOf,
        IReadOnlyDictionary<string, string> sourceOf)
    {
        ConfigProblem Error(string key, string message)
        {
            var source = locationOf(key) is null && sourceOf.TryGetValue(key, out var s) && s != "default" ? $" (from {s})" : "";
            return new ConfigProblem(ProblemSeverity.Error, key.Replace(':', '.'), message + source, locationOf(key));
        }

        foreach (var key in ConfigSchema.KeysOf(o))
            if (key.Validate(o) is { } message)
                yield return Error(key.Path, message);
        foreach (var (key, message) in LlmSpellOptions.CrossChecks(o))
            yield return Error(key, message);
    }
}
