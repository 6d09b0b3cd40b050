using System.Net;
using LlmSpell.Server.Config;

namespace LlmSpell.Server.Security;

/// <summary>Startup warnings about how the secret and the listener are exposed.</summary>
public static class SecurityChecks
{
    /// <summary>
    /// A warning when <paramref name="configFile"/> holds a secret inline (security.hmac_key, a provider's api_key)
    /// and is readable by group or others (the guide asks for chmod 600); null otherwise.
    /// </summary>
    public static string? ConfigFileExposesSecret(string? configFile, LlmSpellOptions options)
    {
        var inline = new List<string>();
        if (!string.IsNullOrEmpty(options.Security.HmacKey)) inline.Add("security.hmac_key");
        inline.AddRange(options.Providers.Named.Where(p => !string.IsNullOrEmpty(p.ApiKey)).Select(p => $"providers.{p.Name}.api_key"));
        if (configFile is null || inline.Count == 0 || OperatingSystem.IsWindows()) return null;
        try
        {
            if (!File.Exists(configFile)) return null;
            var mode = File.GetUnixFileMode(configFile);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) == 0) return null;
            var text = File.ReadAllText(configFile);
            if (!text.Contains("hmac_key", StringComparison.Ordinal) && !text.Contains("api_key", StringComparison.Ordinal)) return null;
            var octal = Convert.ToString((int)mode & 0b111_111_111, 8);
            var move = string.Join("; ", new[]
            {
                inline.Contains("security.hmac_key") ? "move the shared key to hmac_key_file or LLMSPELL_HMAC_KEY" : null,
                inline.Any(n => n.StartsWith("providers.", StringComparison.Ordinal)) ? "move provider keys to api_key_env (e.g. in /etc/default/llmspell-kernel) or api_key_file" : null,
            }.OfType<string>());
            return $"{configFile} holds {string.Join(" and ", inline)} but is readable by {((mode & UnixFileMode.OtherRead) != 0 ? "all users" : "its group")} (mode 0{octal}): run `chmod 600 {configFile}`, or {move}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Loud warnings when the control plane listens beyond loopback without TLS, or with a key remote clients cannot know.</summary>
    public static IReadOnlyList<string> ExposureWarnings(LlmSpellOptions options, bool keyWasGenerated)
    {
        var ip = options.Kernel.Ip;
        var loopback = ip == "localhost" || (IPAddress.TryParse(ip, out var address) && IPAddress.IsLoopback(address));
        if (loopback) return [];
        var warnings = new List<string>();
        if (!options.Security.TlsEnabled)
            warnings.Add($"SECURITY: listening on {ip} (beyond loopback) without TLS: the token and all code sent to the kernels cross the network in clear text. Set [security] tls_enabled, tls_cert and tls_key, or bind 127.0.0.1.");
        if (keyWasGenerated)
            warnings.Add($"SECURITY: listening on {ip} (beyond loopback) with a key generated for this start: remote clients cannot know it and it changes on restart. Configure security.hmac_key_file or LLMSPELL_HMAC_KEY.");
        return warnings;
    }
}
