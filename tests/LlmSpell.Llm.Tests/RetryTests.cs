using System.Diagnostics;
using LlmSpell.Llm.Tests.Support;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests;

/// <summary>Which failures are retried (429, 5xx, 529, dropped connections before any text) and which are not.</summary>
public sealed class RetryTests
{
    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task RateLimitedCallIsRetriedAfterRetryAfter(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        var observer = new RecordingObserver();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider), observer);
        provider.Enqueue(Fault.Status(429, retryAfterSeconds: 1));
        var watch = Stopwatch.StartNew();

        var result = await runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal("echo: hi", result.Text);
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, provider.ChatRequests(type).Count);
        Assert.Equal([(type, "429")], observer.Retries);
        // Retry-After: 1 was waited for, not the 20 ms base delay.
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"retried after {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task ALongRetryAfterIsCapped()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.Anthropic, provider),
            tuning: TestProviders.Fast with { RetryAfterCap = TimeSpan.FromMilliseconds(200) });
        provider.Enqueue(Fault.Status(529, retryAfterSeconds: 60));
        var watch = Stopwatch.StartNew();

        var result = await runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal(2, result.Attempts);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"waited {watch.ElapsedMilliseconds} ms for a 60 s Retry-After");
    }

    [Fact]
    public async Task AKeyEchoedByTheProviderIsRedacted()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.OpenAI, provider));
        provider.Enqueue(Fault.Status(400, message: $"key {TestProviders.Key} is not allowed here"));

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));

        Assert.Equal("provider 'openai' rejected the request (HTTP 400): key [redacted] is not allowed here", error.Message);
        Assert.DoesNotContain(TestProviders.Key, error.ToString());
    }

    [Theory]
    [InlineData(ProviderTypes.OpenAI, 500)]
    [InlineData(ProviderTypes.OpenAI, 503)]
    [InlineData(ProviderTypes.Anthropic, 500)]
    [InlineData(ProviderTypes.Anthropic, 529)]
    [InlineData(ProviderTypes.Ollama, 500)]
    [InlineData(ProviderTypes.Ollama, 502)]
    public async Task ServerErrorsAreRetried(string type, int status)
    {
        await using var provider = await ProviderDouble.StartAsync();
        var observer = new RecordingObserver();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider), observer);
        provider.Enqueue(Fault.Status(status));

        var result = await runtime.ChatAsync(TestProviders.Ask("hi", stream: true), new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal("echo: hi", result.Text);
        Assert.Equal(2, result.Attempts);
        Assert.Equal([(type, status == 529 ? "529" : "5xx")], observer.Retries);
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task RetriesGiveUpAfterMaxRetriesWithTheStatusInTheMessage(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        var observer = new RecordingObserver();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider) with { MaxRetries = 1 }, observer);
        provider.Enqueue(Fault.Status(500, message: "the backend fell over"));
        provider.Enqueue(Fault.Status(500, message: "the backend fell over"));

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));

        Assert.Equal($"provider '{type}' failed with HTTP 500 after 2 attempts: the backend fell over", error.Message);
        Assert.Equal(500, error.StatusCode);
        Assert.Equal(type, error.Provider);
        Assert.Equal(2, provider.ChatRequests(type).Count);
        Assert.Equal("error", Assert.Single(observer.Finished).Outcome);
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task UnauthorizedIsNotRetriedAndNamesTheProviderAndItsMessage(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.RequiredApiKey = "the-right-key-0000";
        var observer = new RecordingObserver();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider), observer);

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi", stream: true), new RecordingCallbacks(), CancellationToken.None));

        Assert.StartsWith($"provider '{type}' refused the request (HTTP 401): ", error.Message);
        Assert.Contains(type switch
        {
            ProviderTypes.OpenAI => "Incorrect API key provided.",
            ProviderTypes.Anthropic => "invalid x-api-key",
            _ => "unauthorized",
        }, error.Message);
        Assert.Contains("check the key (config)", error.Message);
        Assert.DoesNotContain(TestProviders.Key, error.ToString());
        Assert.Equal(401, error.StatusCode);
        Assert.Single(provider.ChatRequests(type));
        Assert.Empty(observer.Retries);
    }

    [Theory]
    [InlineData(400)]
    [InlineData(403)]
    [InlineData(404)]
    public async Task ClientErrorsAreNotRetried(int status)
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.OpenAI, provider));
        provider.Enqueue(Fault.Status(status, message: "not like this"));

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));

        Assert.Contains("not like this", error.Message);
        Assert.Equal(status, error.StatusCode);
        Assert.Single(provider.Requests);
    }

    [Fact]
    public async Task TheOpenAISdkDoesNotRetryOnItsOwn()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.OpenAI, provider) with { MaxRetries = 0 });
        provider.Enqueue(Fault.Status(503));

        await Assert.ThrowsAsync<LlmException>(() => runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));

        Assert.Single(provider.Requests);
    }

    [Fact]
    public async Task AnUnreachableProviderIsRetriedAsAConnectionFailure()
    {
        var port = FreePort();
        var observer = new RecordingObserver();
        var settings = new ProviderSettings
        {
            Name = "local", Type = ProviderTypes.Ollama, BaseUrl = $"http://127.0.0.1:{port}", DefaultModel = "m", MaxRetries = 2,
        };
        using var runtime = TestProviders.Runtime(settings, observer);

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));

        Assert.StartsWith($"cannot reach provider 'local' at http://127.0.0.1:{port}/ after 3 attempts: ", error.Message);
        Assert.Equal([("local", "connection"), ("local", "connection")], observer.Retries);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
