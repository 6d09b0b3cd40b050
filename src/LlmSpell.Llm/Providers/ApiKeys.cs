namespace LlmSpell.Llm.Providers;

/// <summary>
/// Where a provider's key comes from: the inline api_key, then the first line of api_key_file, then the variable
/// api_key_env. Read at call time so a rotated file or variable is picked up without a restart.
/// </summary>
internal static class ApiKeys
{
    /// <summary>"config", "file:PATH", "env:NAME" or "none" (what ProviderInfo shows instead of the key).</summary>
    public static string Source(ProviderSettings settings) =>
        !string.IsNullOrEmpty(settings.ApiKey) ? "config"
        : !string.IsNullOrEmpty(settings.ApiKeyFile) ? "file:" + settings.ApiKeyFile
        : !string.IsNullOrEmpty(settings.ApiKeyEnv) ? "env:" + settings.ApiKeyEnv
        : "none";

    /// <summary>The key, or null when none is configured or the configured source is empty or unreadable.</summary>
    public static string? TryResolve(ProviderSettings settings, Func<string, string?> environment) =>
        Resolve(settings, environment, out _);

    /// <summary>The key; throws the message that says where to put one when the provider needs a key and has none.</summary>
    public static string? ResolveForCall(ProviderSettings settings, Func<string, string?> environment)
    {
        var key = Resolve(settings, environment, out var problem);
        if (key is not null || !ProviderTypes.RequiresKey(settings.Type)) return key;
        throw new LlmException(problem ?? MissingKeyMessage(settings), settings.Name);
    }

    private static string? Resolve(ProviderSettings settings, Func<string, string?> environment, out string? problem)
    {
        problem = null;
        if (!string.IsNullOrEmpty(settings.ApiKey)) return settings.ApiKey.Trim();
        if (!string.IsNullOrEmpty(settings.ApiKeyFile)) return ReadKeyFile(settings, out problem);
        if (!string.IsNullOrEmpty(settings.ApiKeyEnv))
        {
            var value = environment(settings.ApiKeyEnv)?.Trim();
            return string.IsNullOrEmpty(value) ? null : value;
        }
        return null;
    }

    private static string? ReadKeyFile(ProviderSettings settings, out string? problem)
    {
        var path = settings.ApiKeyFile!;
        try
        {
            using var reader = new StreamReader(path);
            var key = reader.ReadLine()?.Trim();
            problem = string.IsNullOrEmpty(key)
                ? $"provider '{settings.Name}' has no API key: api_key_file {path} is empty; put the key on its first line"
                : null;
            return string.IsNullOrEmpty(key) ? null : key;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The exception message names the file and the reason (missing, permissions), never its content.
            problem = $"provider '{settings.Name}' has no API key: cannot read api_key_file {path} ({e.Message}); " +
                      $"fix the path or its permissions in [providers.{settings.Name}]";
            return null;
        }
    }

    private static string MissingKeyMessage(ProviderSettings settings)
    {
        var variable = string.IsNullOrEmpty(settings.ApiKeyEnv) ? "api_key_env" : settings.ApiKeyEnv;
        return $"provider '{settings.Name}' has no API key: set {variable} (e.g. in /etc/default/llmspell-kernel) " +
               $"or api_key_file in [providers.{settings.Name}]";
    }
}
