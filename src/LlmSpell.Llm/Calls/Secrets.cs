namespace LlmSpell.Llm.Calls;

/// <summary>Keeps a key out of text that leaves the process (a provider may echo what it was sent).</summary>
internal static class Secrets
{
    public static string Redact(string text, string? key) =>
        string.IsNullOrEmpty(key) || key.Length < 4 ? text : text.Replace(key, "[redacted]", StringComparison.Ordinal);
}
