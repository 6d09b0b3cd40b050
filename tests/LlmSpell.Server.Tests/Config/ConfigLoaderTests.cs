using LlmSpell.Server.Config;
using LlmSpell.Server.Tests.Support;

namespace LlmSpell.Server.Tests.Config;

public class ConfigLoaderTests
{
    private static ConfigSources Sources(TempDir dir, string? configPath = null,
        Dictionary<string, string?>? env = null, Dictionary<string, string?>? overrides = null) => new()
    {
        ConfigPath = configPath,
        Environment = env ?? new Dictionary<string, string?> { ["HOME"] = dir.Path },
        Overrides = overrides ?? new Dictionary<string, string?>(),
        AppSettingsDirectory = dir.Path,
    };

    [Fact]
    public void Guide_example_loads_as_written()
    {
        using var dir = new TempDir();
        var config = ConfigLoader.Load(Sources(dir, dir.Write("kernel.toml", GuideExample.Toml)));

        var o = config.Options;
        Assert.Equal(9555, o.Kernel.Port);
        Assert.Equal("/var/lib/llmspell/kernel.json", o.Kernel.ConnectionFile);
        Assert.True(o.Daemon.Daemonize);
        Assert.Equal(0x3F, o.Daemon.Umask);
        Assert.Equal("/var/log/llmspell/kernel.log", o.Logging.LogFile);
        Assert.Equal(5, o.Logging.MaxBackups);
        Assert.Equal("your-secret-key-here", o.Security.HmacKey);
        Assert.Equal(["localhost", "127.0.0.1"], o.Security.AllowedOrigins);
        Assert.Equal(100, o.Security.RateLimitPerMinute);
        Assert.Empty(config.Warnings);
    }

    [Fact]
    public void Sources_apply_in_order_defaults_appsettings_toml_environment_flags()
    {
        using var dir = new TempDir();
        dir.Write("appsettings.json", """{ "kernel": { "port": 1000, "idle_timeout": 5, "ip": "127.0.0.2" }, "logging": { "max_backups": 9 } }""");
        var toml = dir.Write("kernel.toml", "[kernel]\nport = 2000\nidle_timeout = 6\n");
        var env = new Dictionary<string, string?> { ["LLMSPELL_KERNEL__PORT"] = "3000" };
        var flags = new Dictionary<string, string?> { ["kernel:port"] = "4000" };

        var config = ConfigLoader.Load(Sources(dir, toml, env, flags));

        Assert.Equal(4000, config.Options.Kernel.Port);          // flag beats env
        Assert.Equal(6, config.Options.Kernel.IdleTimeout);      // toml beats appsettings
        Assert.Equal("127.0.0.2", config.Options.Kernel.Ip);     // appsettings beats default
        Assert.Equal(9, config.Options.Logging.MaxBackups);
        Assert.Equal("info", config.Options.Logging.LogLevel);   // default
        Assert.Equal("command line", config.SourceOf("kernel", "port"));
        Assert.Equal("appsettings.json", config.SourceOf("kernel", "ip"));
        Assert.StartsWith(toml + ":3", config.SourceOf("kernel", "idle_timeout"));
    }

    [Fact]
    public void Environment_beats_toml_and_names_itself_as_source()
    {
        using var dir = new TempDir();
        var toml = dir.Write("kernel.toml", "[logging]\nlog_level = \"warn\"\n");
        var env = new Dictionary<string, string?> { ["LLMSPELL_LOGGING__LOG_LEVEL"] = "debug" };

        var config = ConfigLoader.Load(Sources(dir, toml, env));

        Assert.Equal("debug", config.Options.Logging.LogLevel);
        Assert.Equal("LLMSPELL_LOGGING__LOG_LEVEL", config.SourceOf("logging", "log_level"));
    }

    [Fact]
    public void LLMSPELL_CONFIG_is_used_when_no_flag_is_given()
    {
        using var dir = new TempDir();
        var toml = dir.Write("via-env.toml", "[kernel]\nport = 9700\n");
        var config = ConfigLoader.Load(Sources(dir, env: new() { ["LLMSPELL_CONFIG"] = toml }));
        Assert.Equal(9700, config.Options.Kernel.Port);
        Assert.Equal(toml, config.ConfigFile);
    }

    [Fact]
    public void Missing_explicit_config_file_is_an_error_naming_it()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Sources(dir, dir.Combine("missing.toml"))));
        Assert.Contains(e.Problems, p => p.Message.Contains("missing.toml") && p.Message.Contains("does not exist"));
    }

    [Fact]
    public void Environment_value_of_wrong_type_names_the_variable()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Sources(dir, env: new() { ["LLMSPELL_KERNEL__PORT"] = "abc" })));
        var problem = Assert.Single(e.Problems);
        Assert.Equal("kernel.port", problem.Key);
        Assert.Contains("LLMSPELL_KERNEL__PORT", problem.Message);
        Assert.Contains("expected an integer", problem.Message);
    }

    [Fact]
    public void Unknown_environment_variable_is_a_warning()
    {
        using var dir = new TempDir();
        var config = ConfigLoader.Load(Sources(dir, env: new() { ["LLMSPELL_KERNEL__PROT"] = "1" }));
        Assert.Contains(config.Warnings, w => w.Key == "LLMSPELL_KERNEL__PROT");
    }

    [Fact]
    public void Every_error_is_reported_at_once_with_its_location()
    {
        using var dir = new TempDir();
        var toml = dir.Write("kernel.toml", "[kernel]\nport = 70000\nip = \"not-an-ip\"\n[logging]\nlog_level = \"loud\"\n");

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Sources(dir, toml)));

        Assert.Equal(3, e.Problems.Count(p => p.Severity == ProblemSeverity.Error));
        Assert.Contains(e.Problems, p => p.Key == "kernel.port" && p.Location!.Line == 2);
        Assert.Contains(e.Problems, p => p.Key == "kernel.ip" && p.Location!.Line == 3);
        Assert.Contains(e.Problems, p => p.Key == "logging.log_level" && p.Location!.Line == 5 && p.Message.Contains("trace, debug, info"));
    }

    [Fact]
    public void Unexpanded_shell_substitution_in_hmac_key_is_refused_with_the_fix()
    {
        using var dir = new TempDir();
        var toml = dir.Write("kernel.toml", "[security]\nhmac_key = \"$(openssl rand -base64 32)\"\n");

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Sources(dir, toml)));

        var problem = Assert.Single(e.Problems);
        Assert.Equal("security.hmac_key", problem.Key);
        Assert.Contains("openssl rand -base64 32", problem.Message);
        Assert.Contains("LLMSPELL_HMAC_KEY", problem.Message);
    }

    [Fact]
    public void Tls_requires_cert_and_key()
    {
        using var dir = new TempDir();
        var toml = dir.Write("kernel.toml", "[security]\ntls_enabled = true\n");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Sources(dir, toml)));
        Assert.Contains(e.Problems, p => p.Key == "security.tls_cert");
        Assert.Contains(e.Problems, p => p.Key == "security.tls_key");
    }

    [Fact]
    public void Octal_umask_is_accepted_from_the_environment()
    {
        using var dir = new TempDir();
        var config = ConfigLoader.Load(Sources(dir, env: new() { ["LLMSPELL_DAEMON__UMASK"] = "0o027" }));
        Assert.Equal(0x17, config.Options.Daemon.Umask);
    }

    [Fact]
    public void Allowed_origins_from_a_higher_source_replace_lower_ones_whole()
    {
        using var dir = new TempDir();
        var toml = dir.Write("kernel.toml", "[security]\nallowed_origins = [\"a\", \"b\", \"c\"]\n");
        var config = ConfigLoader.Load(Sources(dir, toml, env: new() { ["LLMSPELL_SECURITY__ALLOWED_ORIGINS"] = "x" }));
        Assert.Equal(["x"], config.Options.Security.AllowedOrigins);
    }

    [Fact]
    public void Kernel_limits_reach_the_kernel_start_options()
    {
        using var dir = new TempDir();
        var toml = dir.Write("kernel.toml", "[kernel]\ninstruction_limit = 1000000\nmemory_limit_mb = 64\nexecution_timeout = 30\n[daemon]\nworking_dir = \"/srv/lua\"\n");
        var options = ConfigLoader.Load(Sources(dir, toml)).Options;

        var start = LlmSpell.Server.Kernels.KernelOptionsFromConfig.Create(options, "k1", "/tmp/k1.json");

        Assert.Equal(1_000_000, start.Lua.InstructionLimit);
        Assert.Equal(64L * 1024 * 1024, start.Lua.MemoryLimitBytes);
        Assert.Equal(TimeSpan.FromSeconds(30), start.ExecutionTimeout);
        Assert.Equal("/srv/lua", start.Lua.WorkingDirectory);
        Assert.Equal(10L * 1024 * 1024, start.MaxMessageSizeBytes);
    }

    [Fact]
    public void Negative_instruction_limit_is_refused()
    {
        using var dir = new TempDir();
        var toml = dir.Write("kernel.toml", "[kernel]\ninstruction_limit = -1\n");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Load(Sources(dir, toml)));
        Assert.Contains(e.Problems, p => p.Key == "kernel.instruction_limit" && p.Location!.Line == 2);
    }
}
