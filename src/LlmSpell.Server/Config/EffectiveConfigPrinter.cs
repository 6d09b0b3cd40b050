using System.Globalization;
using System.Text;

namespace LlmSpell.Server.Config;

/// <summary>Renders the effective configuration as TOML, secrets redacted, each key annotated with its source.</summary>
public static class EffectiveConfigPrinter
{
    public const string Redacted = "<redacted>";

    public static string ToToml(LoadedConfig config)
    {
        var o = config.Options;
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"# effective configuration (config file: {config.ConfigFile ?? "none"})");
        foreach (var (section, values) in Flatten(o))
        {
            sb.AppendLine().AppendLine(CultureInfo.InvariantCulture, $"[{section}]");
            foreach (var (key, value) in values)
                sb.AppendLine(CultureInfo.InvariantCulture, $"{key} = {value}  # {config.SourceOf(section, key)}");
        }
        return sb.ToString();
    }

    /// <summary>The options as TOML literals per section; secrets are replaced by <see cref="Redacted"/>.</summary>
    public static IEnumerable<(string Section, IReadOnlyList<(string Key, string Value)> Values)> Flatten(LlmSpellOptions o)
    {
        yield return ("kernel", [
            ("port", Int(o.Kernel.Port)), ("ip", Str(o.Kernel.Ip)), ("connection_file", Str(o.Kernel.ConnectionFile)),
            ("idle_timeout", Int(o.Kernel.IdleTimeout)), ("id", Str(o.Kernel.Id)),
            ("execution_timeout", Int(o.Kernel.ExecutionTimeout)), ("memory_limit_mb", Int(o.Kernel.MemoryLimitMb)),
            ("instruction_limit", o.Kernel.InstructionLimit.ToString(CultureInfo.InvariantCulture))]);
        yield return ("daemon", [
            ("daemonize", Bool(o.Daemon.Daemonize)), ("pid_file", Str(o.Daemon.PidFile)),
            ("working_dir", Str(o.Daemon.WorkingDir)), ("umask", "0o" + Convert.ToString(o.Daemon.Umask, 8).PadLeft(3, '0'))]);
        yield return ("logging", [
            ("log_file", Str(o.Logging.LogFile)), ("log_level", Str(o.Logging.LogLevel)),
            ("max_size_mb", Int(o.Logging.MaxSizeMb)), ("max_backups", Int(o.Logging.MaxBackups)), ("compress", Bool(o.Logging.Compress))]);
        yield return ("security", [
            ("hmac_key", o.Security.HmacKey is null ? Str(null) : Str(Redacted)),
            ("hmac_key_file", Str(o.Security.HmacKeyFile)),
            ("allowed_origins", "[" + string.Join(", ", o.Security.AllowedOrigins.Select(Str)) + "]"),
            ("max_message_size_mb", Int(o.Security.MaxMessageSizeMb)), ("rate_limit_per_minute", Int(o.Security.RateLimitPerMinute)),
            ("tls_enabled", Bool(o.Security.TlsEnabled)), ("tls_cert", Str(o.Security.TlsCert)), ("tls_key", Str(o.Security.TlsKey)),
            ("allow_unsafe_lua", Bool(o.Security.AllowUnsafeLua)), ("metrics_require_token", Bool(o.Security.MetricsRequireToken))]);
    }

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Bool(bool value) => value ? "true" : "false";
    private static string Str(string? value) => value is null ? "\"\"" : "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
