using LlmSpell.Server.Config;
using LlmSpell.State.Postgres;

namespace LlmSpell.Server.Tests.Config;

/// <summary>[state] backend = "postgres" and where its connection string comes from: exactly one of two keys, never the value.</summary>
public class StateConfigTests
{
    private static LoadedConfig Load(TempDir dir, string toml) => ConfigLoader.Load(new ConfigSources
    {
        ConfigPath = dir.Write("kernel.toml", toml),
        Environment = new Dictionary<string, string?> { ["HOME"] = dir.Path },
        AppSettingsDirectory = dir.Path,
    });

    private static ConfigException Refused(string toml)
    {
        using var dir = new TempDir();
        return Assert.Throws<ConfigException>(() => Load(dir, toml));
    }

    [Fact]
    public void Postgres_with_an_environment_variable_loads_and_reads_it_from_there()
    {
        using var dir = new TempDir();
        var o = Load(dir, "[state]\nbackend = \"postgres\"\nconnection_string_env = \"LLMSPELL_STATE_DSN\"\n").Options;
        Assert.Equal("postgres", o.State.Backend);
        var source = Assert.IsType<PostgresConnectionSource>(o.State.PostgresSource());
        Assert.Equal("the environment variable LLMSPELL_STATE_DSN ([state] connection_string_env)", source.Origin);
    }

    [Fact]
    public void Postgres_with_a_file_loads_and_reads_it_from_there()
    {
        using var dir = new TempDir();
        var o = Load(dir, "[state]\nbackend = \"postgres\"\nconnection_string_file = \"/var/run/secrets/llmspell/dsn\"\n").Options;
        Assert.Equal("the file /var/run/secrets/llmspell/dsn ([state] connection_string_file)", o.State.PostgresSource()!.Origin);
    }

    [Fact]
    public void Postgres_without_a_connection_string_key_names_both_keys()
    {
        var problem = Assert.Single(Refused("[state]\nbackend = \"postgres\"\n").Problems);
        Assert.Equal("state.connection_string_env", problem.Key);
        Assert.Contains("is required when backend = \"postgres\"", problem.Message);
        Assert.Contains("connection_string_file", problem.Message);
    }

    [Fact]
    public void Both_connection_string_keys_are_refused()
    {
        var problem = Assert.Single(Refused("[state]\nbackend = \"postgres\"\nconnection_string_env = \"DSN\"\nconnection_string_file = \"/run/dsn\"\n").Problems);
        Assert.Equal("state.connection_string_file", problem.Key);
        Assert.Contains("either connection_string_env or connection_string_file, not both", problem.Message);
    }

    [Theory]
    [InlineData("Host=db;Password=hunter2-secret")]
    [InlineData("postgresql://u:hunter2-secret@db/x")]
    [InlineData("1DSN")]
    [InlineData("MY-DSN")]
    public void A_value_that_is_not_a_variable_name_is_refused_without_echoing_it(string value)
    {
        var problem = Assert.Single(Refused($"[state]\nbackend = \"postgres\"\nconnection_string_env = \"{value}\"\n").Problems);
        Assert.Equal("state.connection_string_env", problem.Key);
        Assert.Contains("must name an environment variable", problem.Message);
        Assert.Contains("not here", problem.Message);
        Assert.DoesNotContain(value, problem.ToString());
    }

    [Theory]
    [InlineData("Host=db;Password=hunter2-secret")]
    [InlineData("postgresql://u:hunter2-secret@db/x")]
    public void A_connection_string_in_place_of_the_file_is_refused_without_echoing_it(string value)
    {
        var problem = Assert.Single(Refused($"[state]\nbackend = \"postgres\"\nconnection_string_file = \"{value}\"\n").Problems);
        Assert.Equal("state.connection_string_file", problem.Key);
        Assert.Contains("looks like a connection string, not a path", problem.Message);
        Assert.DoesNotContain("hunter2", problem.ToString());
    }

    [Fact]
    public void An_unknown_backend_lists_the_three()
    {
        var problem = Assert.Single(Refused("[state]\nbackend = \"redis\"\n").Problems);
        Assert.Contains("must be \"sqlite\", \"postgres\" or \"memory\"", problem.Message);
    }

    [Fact]
    public void The_keys_are_not_secrets_and_are_printed_by_name()
    {
        var options = new LlmSpellOptions();
        options.State.Backend = "postgres";
        options.State.ConnectionStringEnv = "LLMSPELL_STATE_DSN";
        var printed = EffectiveConfigPrinter.ToToml(new LoadedConfig(options, null, [], new Dictionary<string, string>()));
        Assert.Contains("connection_string_env = \"LLMSPELL_STATE_DSN\"", printed);
        Assert.Contains("connection_string_file = \"\"", printed);
    }
}
