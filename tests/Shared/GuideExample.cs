namespace LlmSpell.Tests.Shared;

/// <summary>The "Service Configuration File" example of the deployment guide, verbatim (compiled into several test projects).</summary>
public static class GuideExample
{
    public const string Toml = """
        # /etc/llmspell/kernel.toml (Linux)
        # /usr/local/etc/llmspell/kernel.toml (macOS)

        [kernel]
        port = 9555
        connection_file = "/var/lib/llmspell/kernel.json"
        idle_timeout = 0  # Never timeout for service

        [daemon]
        daemonize = true
        pid_file = "/var/run/llmspell/kernel.pid"
        working_dir = "/var/lib/llmspell"
        umask = 0o077  # Restrictive permissions

        [logging]
        log_file = "/var/log/llmspell/kernel.log"
        log_level = "info"
        max_size_mb = 100
        max_backups = 5
        compress = true

        [security]
        hmac_key = "your-secret-key-here"
        allowed_origins = ["localhost", "127.0.0.1"]
        max_message_size_mb = 10
        rate_limit_per_minute = 100
        """;
}
