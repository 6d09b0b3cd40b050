using Microsoft.Extensions.Configuration;

namespace LlmSpell.Server.Config;

/// <summary>
/// The whole service configuration. Key names are the TOML ones (snake_case) in every source:
/// appsettings.json, the TOML file and LLMSPELL_SECTION__KEY environment variables.
/// </summary>
public sealed class LlmSpellOptions
{
    [ConfigurationKeyName("kernel")] public KernelSection Kernel { get; set; } = new();
    [ConfigurationKeyName("daemon")] public DaemonSection Daemon { get; set; } = new();
    [ConfigurationKeyName("logging")] public LoggingSection Logging { get; set; } = new();
    [ConfigurationKeyName("security")] public SecuritySection Security { get; set; } = new();
}

public sealed class KernelSection
{
    /// <summary>HTTP control plane port; the Jupyter channels use port+1..port+5 unless 0.</summary>
    [ConfigurationKeyName("port")] public int Port { get; set; } = 9555;
    [ConfigurationKeyName("ip")] public string Ip { get; set; } = "127.0.0.1";
    [ConfigurationKeyName("connection_file")] public string? ConnectionFile { get; set; }
    /// <summary>Seconds without client activity before the service stops; 0 = never.</summary>
    [ConfigurationKeyName("idle_timeout")] public int IdleTimeout { get; set; }
    [ConfigurationKeyName("id")] public string? Id { get; set; }
    /// <summary>Seconds one execution may run before it is interrupted; 0 = no limit.</summary>
    [ConfigurationKeyName("execution_timeout")] public int ExecutionTimeout { get; set; }
    [ConfigurationKeyName("memory_limit_mb")] public int MemoryLimitMb { get; set; } = 512;
    /// <summary>Lua VM instructions one execution may run before it is stopped; 0 = no limit.</summary>
    [ConfigurationKeyName("instruction_limit")] public long InstructionLimit { get; set; }
}

public sealed class DaemonSection
{
    [ConfigurationKeyName("daemonize")] public bool Daemonize { get; set; }
    [ConfigurationKeyName("pid_file")] public string? PidFile { get; set; }
    [ConfigurationKeyName("working_dir")] public string? WorkingDir { get; set; }
    /// <summary>File creation mask, usually written in octal (0o077).</summary>
    [ConfigurationKeyName("umask")] public int Umask { get; set; } = 0b000_111_111;
}

public sealed class LoggingSection
{
    [ConfigurationKeyName("log_file")] public string? LogFile { get; set; }
    [ConfigurationKeyName("log_level")] public string LogLevel { get; set; } = "info";
    [ConfigurationKeyName("max_size_mb")] public int MaxSizeMb { get; set; } = 100;
    [ConfigurationKeyName("max_backups")] public int MaxBackups { get; set; } = 5;
    [ConfigurationKeyName("compress")] public bool Compress { get; set; } = true;
}

public sealed class SecuritySection
{
    [ConfigurationKeyName("hmac_key")] public string? HmacKey { get; set; }
    [ConfigurationKeyName("hmac_key_file")] public string? HmacKeyFile { get; set; }
    [ConfigurationKeyName("allowed_origins")] public string[] AllowedOrigins { get; set; } = ["localhost", "127.0.0.1"];
    [ConfigurationKeyName("max_message_size_mb")] public int MaxMessageSizeMb { get; set; } = 10;
    /// <summary>Requests per minute per client address on /api; 0 = unlimited.</summary>
    [ConfigurationKeyName("rate_limit_per_minute")] public int RateLimitPerMinute { get; set; } = 600;
    [ConfigurationKeyName("tls_enabled")] public bool TlsEnabled { get; set; }
    [ConfigurationKeyName("tls_cert")] public string? TlsCert { get; set; }
    [ConfigurationKeyName("tls_key")] public string? TlsKey { get; set; }
    [ConfigurationKeyName("allow_unsafe_lua")] public bool AllowUnsafeLua { get; set; }
    [ConfigurationKeyName("metrics_require_token")] public bool MetricsRequireToken { get; set; }
}
