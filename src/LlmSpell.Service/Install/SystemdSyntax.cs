using System.Text;

namespace LlmSpell.Service.Install;

/// <summary>Escaping rules of systemd unit files (systemd.service "Command lines", systemd.unit "Specifiers").</summary>
internal static class SystemdSyntax
{
    /// <summary>
    /// One ExecStart= word: '%' is doubled, '$' too in arguments (systemd expands variables only there,
    /// not in the executable path), and words with blanks or quotes are double-quoted.
    /// </summary>
    public static string ExecWord(string word, bool isExecutable = false)
    {
        var escaped = Specifiers(word);
        if (!isExecutable)
        {
            escaped = escaped.Replace("$", "$$", StringComparison.Ordinal);
        }

        var needsQuotes = escaped.Length == 0 || escaped == ";"
                          || escaped.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '\\');
        if (!needsQuotes)
        {
            return escaped;
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in escaped)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    public static string ExecLine(IEnumerable<string> words) =>
        string.Join(' ', words.Select((word, index) => ExecWord(word, isExecutable: index == 0)));

    /// <summary>A value that is used whole (PIDFile=, EnvironmentFile=, Description=): only specifiers need escaping.</summary>
    public static string Specifiers(string value)
    {
        if (value.Contains('\n', StringComparison.Ordinal))
        {
            throw new ServiceInstallException($"Unit file values cannot contain line breaks: '{value}'");
        }

        return value.Replace("%", "%%", StringComparison.Ordinal);
    }

    /// <summary>One entry of a space-separated path list (ReadWritePaths=), quoted when it contains blanks.</summary>
    public static string PathListEntry(string path, string prefix = "")
    {
        var escaped = Specifiers(path);
        return escaped.Any(char.IsWhiteSpace) || escaped.Contains('"', StringComparison.Ordinal)
            ? $"\"{prefix}{escaped.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\""
            : prefix + escaped;
    }
}
