using LlmSpell.Llm.Tests.Support;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests;

/// <summary>Where keys come from, when their absence is an error, and which URLs may receive them.</summary>
public sealed class KeyAndEndpointTests
{
    [Fact]
    public async Task AMissingKeyFailsTheCallWithWhereToSetIt()
    {
        await using var provider = await ProviderDouble.StartAsync();
        var settings = TestProviders.For(ProviderTypes.OpenAI, provider) with { ApiKey = null, ApiKeyEnv = "OPENAI_API_KEY" };
        using var runtime = TestProviders.Runtime(settings, environment: _ => null); // constructing it is fine

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));

        Assert.Equal("provider 'openai' has no API key: set OPENAI_API_KEY (e.g. in /etc/default/llmspell-kernel) or api_key_file in [providers.openai]",
            error.Message);
        Assert.Equal("openai", error.Provider);
        Assert.Empty(provider.Requests);
    }

    [Fact]
    public async Task OllamaNeedsNoKey()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.Ollama, provider) with { ApiKey = null, ApiKeyEnv = "OLLAMA_KEY" });

        var result = await runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal("echo: hi", result.Text);
    }

    [Fact]
    public async Task TheKeyComesFromTheEnvironmentFunction()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.RequiredApiKey = "sk-from-env-0000";
        var settings = TestProviders.For(ProviderTypes.Anthropic, provider) with { ApiKey = null, ApiKeyEnv = "MY_ANTHROPIC_KEY" };
        using var runtime = TestProviders.Runtime(settings, environment: name => name == "MY_ANTHROPIC_KEY" ? "sk-from-env-0000" : null);

        var result = await runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal("echo: hi", result.Text);
        Assert.Equal("sk-from-env-0000", provider.Requests[0].Headers["x-api-key"]);
    }

    [Fact]
    public async Task AKeyFileBeatsTheEnvironmentAndOnlyItsFirstLineCounts()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.RequiredApiKey = "sk-from-file-0000";
        using var dir = new TempDir();
        var file = dir.Write("key", "  sk-from-file-0000  \nsecond line\n");
        var settings = TestProviders.For(ProviderTypes.OpenAI, provider) with { ApiKey = null, ApiKeyFile = file, ApiKeyEnv = "OPENAI_API_KEY" };
        using var runtime = TestProviders.Runtime(settings, environment: _ => "sk-from-env-0000");

        var result = await runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal("echo: hi", result.Text);
        Assert.Equal("Bearer sk-from-file-0000", provider.Requests[0].Headers["Authorization"]);
    }

    [Fact]
    public async Task AnUnreadableKeyFileIsNamedInTheError()
    {
        using var dir = new TempDir();
        var missing = dir.File("nope");
        var settings = new ProviderSettings { Name = "p", Type = ProviderTypes.OpenAI, BaseUrl = "https://api.example.com/v1", ApiKeyFile = missing, DefaultModel = "m" };
        using var runtime = TestProviders.Runtime(settings);

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));

        Assert.StartsWith($"provider 'p' has no API key: cannot read api_key_file {missing} (", error.Message);
    }

    [Fact]
    public async Task AScriptBaseUrlWithoutItsOwnKeyIsRefusedAndNothingIsSent()
    {
        await using var configured = await ProviderDouble.StartAsync();
        await using var chosenByScript = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.OpenAI, configured));

        var error = await Assert.ThrowsAsync<LlmException>(() => runtime.ChatAsync(
            TestProviders.Ask("hi") with { BaseUrl = chosenByScript.OpenAIBaseUrl }, new RecordingCallbacks(), CancellationToken.None));

        Assert.Contains("the script's base_url is only used with the script's own api_key", error.Message);
        Assert.Empty(chosenByScript.Requests);
        Assert.Empty(configured.Requests);
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task AScriptBaseUrlGetsTheScriptKeyAndNeverTheConfiguredOne(string type)
    {
        await using var configured = await ProviderDouble.StartAsync();
        await using var chosenByScript = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, configured));
        var scriptUrl = type == ProviderTypes.OpenAI ? chosenByScript.OpenAIBaseUrl : chosenByScript.BaseUrl;

        var result = await runtime.ChatAsync(TestProviders.Ask("hi") with { BaseUrl = scriptUrl, ApiKey = "sk-script-own-key" },
            new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal("echo: hi", result.Text);
        Assert.Empty(configured.Requests);
        var request = Assert.Single(chosenByScript.Requests);
        var sent = string.Join("\n", request.Headers.Select(h => $"{h.Key}: {h.Value}")) + "\n" + request.Body;
        Assert.DoesNotContain(TestProviders.Key, sent);
        if (type != ProviderTypes.Ollama) Assert.Contains("sk-script-own-key", sent);
    }

    [Fact]
    public async Task AScriptKeyAloneGoesToTheConfiguredUrl()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.RequiredApiKey = "sk-script-own-key";
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.OpenAI, provider));

        var result = await runtime.ChatAsync(TestProviders.Ask("hi") with { ApiKey = "sk-script-own-key" }, new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal("echo: hi", result.Text);
    }

    [Fact]
    public async Task PlainHttpToANonLoopbackHostIsRefused()
    {
        var settings = new ProviderSettings { Name = "remote", Type = ProviderTypes.OpenAI, BaseUrl = "http://llm.example.com/v1", ApiKey = TestProviders.Key, DefaultModel = "m" };
        using var runtime = TestProviders.Runtime(settings);

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));

        Assert.Equal("provider 'remote': [providers.remote] base_url http://llm.example.com uses plain http:// to a non-loopback host, " +
                     "which would send the key and the conversation unencrypted; use https:// or set allow_insecure_http = true in [providers.remote]",
            error.Message);
    }

    [Fact]
    public async Task AScriptsPlainHttpUrlIsRefusedToo()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.Ollama, provider));

        var error = await Assert.ThrowsAsync<LlmException>(() => runtime.ChatAsync(
            TestProviders.Ask("hi") with { BaseUrl = "http://10.20.30.40:11434", ApiKey = "k-1234" }, new RecordingCallbacks(), CancellationToken.None));

        Assert.Contains("the script's base_url http://10.20.30.40:11434 uses plain http://", error.Message);
    }

    [Fact]
    public async Task AllowInsecureHttpLetsPlainHttpThrough()
    {
        // No non-loopback server exists here: the call is attempted (and cannot connect) instead of being refused.
        var settings = new ProviderSettings
        {
            Name = "remote", Type = ProviderTypes.Ollama, BaseUrl = "http://llm.invalid:11434", DefaultModel = "m",
            AllowInsecureHttp = true, MaxRetries = 0, TimeoutSeconds = 5,
        };
        using var runtime = TestProviders.Runtime(settings);

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));

        Assert.DoesNotContain("allow_insecure_http", error.Message);
        Assert.StartsWith("cannot reach provider 'remote' at http://llm.invalid:11434/", error.Message);
    }
}
