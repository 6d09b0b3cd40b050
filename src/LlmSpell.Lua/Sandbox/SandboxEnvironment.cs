namespace LlmSpell.Lua;

/// <summary>
/// What os.getenv may read: in the sandbox only the allow-listed names, and never (not even in unsafe mode) a
/// name that looks like a secret, so provider keys and the kernel's signing key stay out of scripts.
/// </summary>
internal sealed class SandboxEnvironment(IReadOnlyList<string> allowList, bool confine)
{
    private static readonly string[] SecretWords = ["KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL"];

    private readonly HashSet<string> _allowed = new(allowList, StringComparer.Ordinal);

    public static bool LooksSecret(string name) =>
        name.Equals("LLMSPELL_HMAC_KEY", StringComparison.OrdinalIgnoreCase) ||
        SecretWords.Any(w => name.Contains(w, StringComparison.OrdinalIgnoreCase));

    /// <summary>The variable's value, or null when it is unset or not readable (as Lua's getenv reports both).</summary>
    public string? Get(string name)
    {
        if (name.Length == 0 || LooksSecret(name) || (confine && !_allowed.Contains(name)))
            return null;
        return Environment.GetEnvironmentVariable(name);
    }
}
