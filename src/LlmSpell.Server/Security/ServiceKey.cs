using LlmSpell.Server.Config;

namespace LlmSpell.Server.Security;

public enum ServiceKeySource { HmacKey, HmacKeyFile, Environment }

/// <summary>
/// The configured service secret (Jupyter signing key and REST token), found in one order for the service and the
/// CLI: security.hmac_key, else security.hmac_key_file, else $LLMSPELL_HMAC_KEY.
/// </summary>
public static class ServiceKey
{
    public const string EnvironmentVariable = "LLMSPELL_HMAC_KEY";

    /// <summary>Null when none is configured. An unreadable hmac_key_file is a <see cref="ConfigException"/> naming it.</summary>
    public static (string Key, ServiceKeySource Source, string? File)? Resolve(LlmSpellOptions options, Func<string, string?> environment)
    {
        if (!string.IsNullOrEmpty(options.Security.HmacKey)) return (options.Security.HmacKey, ServiceKeySource.HmacKey, null);
        if (options.Security.HmacKeyFile is { } file)
        {
            try
            {
                return (File.ReadAllText(file).Trim(), ServiceKeySource.HmacKeyFile, file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException([new ConfigProblem(ProblemSeverity.Error, "security.hmac_key_file",
                    $"cannot read {file}: {(e is UnauthorizedAccessException ? "Permission denied" : e.Message)}")]);
            }
        }
        if (environment(EnvironmentVariable) is { Length: > 0 } fromEnvironment) return (fromEnvironment, ServiceKeySource.Environment, null);
        return null;
    }
}
