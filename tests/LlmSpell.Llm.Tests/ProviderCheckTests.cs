using LlmSpell.Llm.Tests.Support;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests;

/// <summary>`providers check`: one cheap real call (list models), its outcome reported, not thrown.</summary>
public sealed class ProviderCheckTests
{
    [Theory]
    [InlineData(ProviderTypes.OpenAI, "/v1/models")]
    [InlineData(ProviderTypes.Anthropic, "/v1/models")]
    [InlineData(ProviderTypes.Ollama, "/api/tags")]
    public async Task AReachableProviderListsItsModels(string type, string path)
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.RequiredApiKey = TestProviders.Key;
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider));

        var result = await runtime.CheckAsync(type, CancellationToken.None);

        Assert.True(result.Ok, result.Message);
        Assert.Equal(type, result.Name);
        Assert.Matches(@"^reachable at http://127\.0\.0\.1:\d+/(v1)?: \d+ models?$", result.Message);
        Assert.Equal(path, Assert.Single(provider.Requests).Path);
        Assert.Equal("GET", provider.Requests[0].Method);
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task ARejectedKeyIsReportedWithoutTheKey(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.RequiredApiKey = "the-right-key-0000";
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider));

        var result = await runtime.CheckAsync(type, CancellationToken.None);

        Assert.False(result.Ok);
        Assert.StartsWith("HTTP 401: ", result.Message);
        Assert.EndsWith("; check the key (config)", result.Message);
        Assert.DoesNotContain(TestProviders.Key, result.Message);
    }

    [Fact]
    public async Task AMissingKeyIsReportedNotThrown()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.Anthropic, provider) with { ApiKey = null, ApiKeyEnv = "ANTHROPIC_API_KEY" });

        var result = await runtime.CheckAsync("anthropic", CancellationToken.None);

        Assert.False(result.Ok);
        Assert.StartsWith("provider 'anthropic' has no API key: set ANTHROPIC_API_KEY", result.Message);
        Assert.Empty(provider.Requests);
    }

    [Fact]
    public async Task AnUnreachableProviderIsReported()
    {
        int port;
        using (var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        }
        using var runtime = TestProviders.Runtime(new ProviderSettings { Name = "o", Type = ProviderTypes.Ollama, BaseUrl = $"http://127.0.0.1:{port}" });

        var result = await runtime.CheckAsync("o", CancellationToken.None);

        Assert.False(result.Ok);
        Assert.StartsWith($"cannot reach http://127.0.0.1:{port}: ", result.Message);
    }
}
