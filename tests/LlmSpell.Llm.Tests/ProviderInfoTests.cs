using LlmSpell.Llm.Tests.Support;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests;

/// <summary>What `providers list` shows, the predefined providers, and that starting touches nothing.</summary>
public sealed class ProviderInfoTests
{
    [Fact]
    public void ProvidersShowWhereEachKeyComesFromAndWhetherItIsThere()
    {
        using var dir = new TempDir();
        var keyFile = dir.Write("key", "sk-file\n");
        var options = new LlmOptions
        {
            Providers =
            [
                new ProviderSettings { Name = "inline", Type = ProviderTypes.OpenAI, BaseUrl = "https://a.example/v1", ApiKey = "sk-inline" },
                new ProviderSettings { Name = "file", Type = ProviderTypes.Anthropic, BaseUrl = "https://b.example", ApiKeyFile = keyFile },
                new ProviderSettings { Name = "env", Type = ProviderTypes.OpenAI, BaseUrl = "https://c.example/v1", ApiKeyEnv = "SET_VAR" },
                new ProviderSettings { Name = "unset", Type = ProviderTypes.OpenAI, BaseUrl = "https://d.example/v1", ApiKeyEnv = "UNSET_VAR" },
                new ProviderSettings { Name = "none", Type = ProviderTypes.Ollama, BaseUrl = "http://localhost:11434", DefaultModel = "llama3.2" },
            ],
        };
        using var runtime = new LlmRuntime(options, environment: name => name == "SET_VAR" ? "sk-env" : null);

        Assert.Equal(
        [
            new ProviderInfo("inline", "openai", "https://a.example/v1", null, "config", true),
            new ProviderInfo("file", "anthropic", "https://b.example", null, "file:" + keyFile, true),
            new ProviderInfo("env", "openai", "https://c.example/v1", null, "env:SET_VAR", true),
            new ProviderInfo("unset", "openai", "https://d.example/v1", null, "env:UNSET_VAR", false),
            new ProviderInfo("none", "ollama", "http://localhost:11434", "llama3.2", "none", false),
        ], runtime.Providers);
    }

    [Fact]
    public void WithoutConfiguredProvidersThePredefinedOnesApply()
    {
        using var runtime = new LlmRuntime(new LlmOptions(), environment: name => name == "OPENAI_API_KEY" ? "sk-x" : null);

        Assert.Equal(
        [
            new ProviderInfo("openai", "openai", "https://api.openai.com/v1", "gpt-4o-mini", "env:OPENAI_API_KEY", true),
            new ProviderInfo("anthropic", "anthropic", "https://api.anthropic.com", "claude-3-5-haiku-latest", "env:ANTHROPIC_API_KEY", false),
            new ProviderInfo("ollama", "ollama", "http://localhost:11434", "llama3.2", "none", false),
        ], runtime.Providers);
    }

    [Fact]
    public void ProviderDefaultsNameThePredefinedProviders()
    {
        Assert.Equal(["openai", "anthropic", "ollama"], ProviderDefaults.Predefined.Select(p => p.Name));
        Assert.Equal("ANTHROPIC_API_KEY", ProviderDefaults.For("anthropic")!.ApiKeyEnv);
        Assert.Equal("http://localhost:11434", ProviderDefaults.For("ollama")!.BaseUrl);
        Assert.Null(ProviderDefaults.For("ollama")!.ApiKeyEnv);
        Assert.Null(ProviderDefaults.For("mistral"));
    }

    [Fact]
    public async Task StartingAndListingTouchNoProvider()
    {
        await using var provider = await ProviderDouble.StartAsync();
        var reads = 0;
        using (var runtime = new LlmRuntime(new LlmOptions { Providers = [TestProviders.For(ProviderTypes.OpenAI, provider)] },
                   environment: _ => { Interlocked.Increment(ref reads); return null; }))
        {
            Assert.Single(runtime.Providers);
        }

        Assert.Empty(provider.Requests);
        Assert.Equal(0, reads); // the key is inline: not even the environment was read
    }

    [Fact]
    public void AProviderNamedTwiceIsRefused()
    {
        var settings = new ProviderSettings { Name = "x", Type = ProviderTypes.Ollama, BaseUrl = "http://localhost:1" };

        var error = Assert.Throws<LlmException>(() => new LlmRuntime(new LlmOptions { Providers = [settings, settings] }));

        Assert.Equal("provider 'x' is configured twice; give each [providers.NAME] its own name", error.Message);
    }
}
