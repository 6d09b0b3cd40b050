using System.Text.Json.Nodes;
using LlmSpell.Llm.Tests.Support;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests;

/// <summary>"provider/model", bare models (which may contain '/'), the default model, unknown providers.</summary>
public sealed class ModelResolutionTests
{
    [Theory]
    [InlineData("gpt-4o", "main", "gpt-4o")]
    [InlineData("main/gpt-4o", "main", "gpt-4o")]
    [InlineData("other/llama3", "other", "llama3")]
    [InlineData("main/meta-llama/Llama-3", "main", "meta-llama/Llama-3")]
    [InlineData("meta-llama/Llama-3", "main", "meta-llama/Llama-3")]
    [InlineData(null, "main", "main-default")]
    [InlineData("other/", "other", "other-default")]
    public async Task TheModelStringPicksProviderAndModel(string? model, string expectedProvider, string expectedModel)
    {
        await using var main = await ProviderDouble.StartAsync();
        await using var other = await ProviderDouble.StartAsync();
        var options = new LlmOptions
        {
            DefaultProvider = "main",
            Providers =
            [
                TestProviders.For(ProviderTypes.OpenAI, main, "main") with { DefaultModel = "main-default" },
                TestProviders.For(ProviderTypes.Ollama, other, "other") with { DefaultModel = "other-default" },
            ],
        };
        using var runtime = new LlmRuntime(options);

        var result = await runtime.ChatAsync(TestProviders.Ask("hi", model: model), new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal(expectedProvider, result.Provider);
        Assert.Equal(expectedModel, result.Model);
        var reached = expectedProvider == "main" ? main : other;
        Assert.Equal(expectedModel, (string?)JsonNode.Parse(Assert.Single(reached.Requests).Body)!["model"]);
        Assert.Empty((expectedProvider == "main" ? other : main).Requests);
    }

    [Fact]
    public async Task NoModelAndNoDefaultModelIsAnError()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.OpenAI, provider, "main") with { DefaultModel = null });

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));

        Assert.Equal("no model given and provider 'main' has no default_model; pass model = \"main/MODEL\" or set default_model in [providers.main]",
            error.Message);
    }

    [Fact]
    public async Task AnUnknownDefaultProviderListsTheConfiguredOnes()
    {
        var options = new LlmOptions
        {
            DefaultProvider = "missing",
            Providers =
            [
                new ProviderSettings { Name = "beta", Type = ProviderTypes.Ollama, BaseUrl = "http://127.0.0.1:1" },
                new ProviderSettings { Name = "alpha", Type = ProviderTypes.Ollama, BaseUrl = "http://127.0.0.1:1" },
            ],
        };
        using var runtime = new LlmRuntime(options);

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi", model: "m"), new RecordingCallbacks(), CancellationToken.None));

        Assert.Equal("unknown provider 'missing'; configured providers: alpha, beta (add [providers.missing] to the configuration or use one of those)",
            error.Message);
    }

    [Fact]
    public async Task AnUnknownProviderCannotBeChecked()
    {
        using var runtime = new LlmRuntime(new LlmOptions());

        var error = await Assert.ThrowsAsync<LlmException>(() => runtime.CheckAsync("nope", CancellationToken.None));

        Assert.StartsWith("unknown provider 'nope'; configured providers: anthropic, ollama, openai", error.Message);
    }
}
