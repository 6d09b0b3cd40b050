using LlmSpell.Server.Config;

namespace LlmSpell.Server.Tests.Config;

/// <summary>[providers.NAME] tables: TOML, environment, defaults, checks and the printout.</summary>
public class ProviderConfigTests
{
    private static LoadedConfig Load(string toml, Dictionary<string, string?>? env = null)
    {
        using var dir = new TempDir();
        var file = dir.Write("kernel.toml", toml);
        return ConfigLoader.Load(new ConfigSources { ConfigPath = file, Environment = env ?? [], AppSettingsDirectory = dir.Path });
    }

    [Fact]
    public void Without_provider_tables_openai_anthropic_and_ollama_are_predefined()
    {
        var config = Load("");
        Assert.Equal(["openai", "anthropic", "ollama"], config.Options.Providers.Named.Select(p => p.Name));
        var openai = config.Options.Providers.Find("openai")!;
        Assert.Equal("OPENAI_API_KEY", openai.ApiKeyEnv);
        Assert.Equal("https://api.openai.com/v1", openai.BaseUrl);
        Assert.Equal("ANTHROPIC_API_KEY", config.Options.Providers.Find("anthropic")!.ApiKeyEnv);
    }

    [Fact]
    public void A_provider_table_with_pricing_is_read_with_its_defaults_filled_in()
    {
        var config = Load("""
            [providers]
            default_provider = "local"
            [providers.local]
            provider_type = "openai"
            base_url = "http://127.0.0.1:8000/v1"
            default_model = "qwen"
            max_retries = 1
            [providers.local.pricing]
            input_per_million = 0.15
            output_per_million = 1
            """);
        var local = Assert.Single(config.Options.Providers.Named);
        Assert.Equal(("local", "openai", 1, 120), (local.Name, local.ProviderType, local.MaxRetries, local.TimeoutSeconds));
        var settings = local.ToSettings();
        Assert.Equal(0.15, settings.InputPerMillion);
        Assert.Equal(1.0, settings.OutputPerMillion);
        Assert.Equal("kernel.toml:9:1", Path.GetFileName(config.SourceOf("providers.local.pricing", "input_per_million")));
    }

    [Fact]
    public void Environment_variables_override_and_add_provider_keys()
    {
        var config = Load("", new() { ["LLMSPELL_PROVIDERS_OPENAI__BASE_URL"] = "http://127.0.0.1:9/v1", ["LLMSPELL_PROVIDERS_OPENAI_PRICING__INPUT_PER_MILLION"] = "2.5" });
        var openai = Assert.Single(config.Options.Providers.Named);
        Assert.Equal("http://127.0.0.1:9/v1", openai.BaseUrl);
        Assert.Equal(2.5, openai.InputPerMillion);
        Assert.Equal("OPENAI_API_KEY", openai.ApiKeyEnv);
        Assert.Equal("LLMSPELL_PROVIDERS_OPENAI__BASE_URL", config.SourceOf("providers.openai", "base_url"));
    }

    [Fact]
    public void Bad_provider_settings_name_the_key_and_the_expected_values()
    {
        var e = Assert.Throws<ConfigException>(() => Load("""
            [providers.x]
            provider_type = "gpt"
            base_url = "ftp://example.com"
            [providers.x.pricing]
            input_per_million = "cheap"
            """));
        var text = string.Join("\n", e.Problems.Select(p => p.ToString()));
        Assert.Contains("providers.x.provider_type", text);
        Assert.Contains("openai, anthropic, ollama", text);
        Assert.Contains("providers.x.base_url", text);
        Assert.Contains("providers.x.pricing.input_per_million", text);
        Assert.Contains("default_provider", text);
    }

    [Fact]
    public void The_printout_redacts_an_inline_key_and_lists_every_provider_key()
    {
        var config = Load("""
            [providers.openai]
            api_key = "sk-inline-secret"
            """);
        var printed = EffectiveConfigPrinter.ToToml(config);
        Assert.DoesNotContain("sk-inline-secret", printed);
        Assert.Contains("[providers.openai]", printed);
        Assert.Contains("api_key = \"<redacted>\"", printed);
        Assert.Contains("[providers.openai.pricing]", printed);
        Assert.Contains("[state]", printed);
        Assert.Contains("[tools]", printed);
    }
}
