using System.Net;
using System.Text.RegularExpressions;

namespace LlmSpell.Server.Config;

/// <summary>Range and consistency checks after binding. Each problem names the key, its source and the expected value.</summary>
public static partial class ConfigValidator
{
    public static readonly IReadOnlyList<string> LogLevels = ["trace", "debug", "info", "information", "warn", "warning", "error", "fatal", "critical"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

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

        if (o.Kernel.Port is < 0 or > 65535)
            yield return Error("kernel:port", $"must be between 1 and 65535 (or 0 for any free port), found {o.Kernel.Port}");
        else if (o.Kernel.Port > 65535 - 5)
            yield return Error("kernel:port", $"must leave room for the five Jupyter channel ports above it (at most 65530), found {o.Kernel.Port}");
        // A mistyped value was already reported and left unset (null); only range-check what was bound.
        if (o.Kernel.Ip is not null && !IsValidBindAddress(o.Kernel.Ip))
            yield return Error("kernel:ip", $"must be an IP address such as 127.0.0.1, ::1 or 0.0.0.0, or localhost; found \"{o.Kernel.Ip}\"");
        if (o.Kernel.IdleTimeout < 0)
            yield return Error("kernel:idle_timeout", $"must be 0 (never) or a number of seconds, found {o.Kernel.IdleTimeout}");
        if (o.Kernel.ExecutionTimeout < 0)
            yield return Error("kernel:execution_timeout", $"must be 0 (no limit) or a number of seconds, found {o.Kernel.ExecutionTimeout}");
        if (o.Kernel.MemoryLimitMb < 0)
            yield return Error("kernel:memory_limit_mb", $"must be 0 (no limit) or a number of megabytes, found {o.Kernel.MemoryLimitMb}");
        if (o.Kernel.InstructionLimit < 0)
            yield return Error("kernel:instruction_limit", $"must be 0 (no limit) or a number of Lua instructions, found {o.Kernel.InstructionLimit}");
        if (o.Kernel.Id is not null && !IdPattern().IsMatch(o.Kernel.Id))
            yield return Error("kernel:id", $"must be 1-64 letters, digits, '.', '_' or '-', found \"{o.Kernel.Id}\"");

        if (o.Daemon.Umask is < 0 or > 0x1FF)
            yield return Error("daemon:umask", $"must be an octal mode between 0o000 and 0o777, found {o.Daemon.Umask}");

        if (o.Logging.LogLevel is not null && !LogLevels.Contains(o.Logging.LogLevel.ToLowerInvariant()))
            yield return Error("logging:log_level", $"must be one of trace, debug, info, warn, error, fatal; found \"{o.Logging.LogLevel}\"");
        if (o.Logging.MaxSizeMb < 1)
            yield return Error("logging:max_size_mb", $"must be at least 1, found {o.Logging.MaxSizeMb}");
        if (o.Logging.MaxBackups < 0)
            yield return Error("logging:max_backups", $"must be 0 or more, found {o.Logging.MaxBackups}");

        if (o.Security.MaxMessageSizeMb < 1)
            yield return Error("security:max_message_size_mb", $"must be at least 1, found {o.Security.MaxMessageSizeMb}");
        if (o.Security.RateLimitPerMinute < 0)
            yield return Error("security:rate_limit_per_minute", $"must be 0 (unlimited) or more, found {o.Security.RateLimitPerMinute}");
        if (o.Security.HmacKey is { } key && key.Contains("$(", StringComparison.Ordinal))
            yield return Error("security:hmac_key",
                "looks like an unexpanded shell command substitution: TOML does not run commands. Generate a key with `openssl rand -base64 32` and paste the output, or use hmac_key_file or the LLMSPELL_HMAC_KEY environment variable");
        if (o.Security.HmacKey is not null && o.Security.HmacKeyFile is not null)
            yield return Error("security:hmac_key_file", "set either hmac_key or hmac_key_file, not both");
        if (o.Security.TlsEnabled && string.IsNullOrWhiteSpace(o.Security.TlsCert))
            yield return Error("security:tls_cert", "is required when tls_enabled = true (path to a PEM certificate)");
        if (o.Security.TlsEnabled && string.IsNullOrWhiteSpace(o.Security.TlsKey))
            yield return Error("security:tls_key", "is required when tls_enabled = true (path to a PEM private key)");
    }

    private static bool IsValidBindAddress(string ip) =>
        ip == "localhost" || ip == "*" || IPAddress.TryParse(ip, out _);
}
