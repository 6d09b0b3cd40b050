using System.Diagnostics;
using LlmSpell.Llm.Resilience;
using LlmSpell.Llm.Tests.Support;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests;

/// <summary>requests_per_minute: a burst of that many, then one more each 1/N of the window.</summary>
public sealed class RateLimiterTests
{
    [Fact]
    public async Task RequestsBeyondTheLimitWaitForTheNextPermit()
    {
        await using var provider = await ProviderDouble.StartAsync();
        // 2 per 4 s window: the bucket starts full and gets a permit back 2 s after the first call (when it was created).
        var tuning = TestProviders.Fast with { RateLimitWindow = TimeSpan.FromSeconds(4) };
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.OpenAI, provider) with { RequestsPerMinute = 2 }, tuning: tuning);
        var watch = Stopwatch.StartNew();

        foreach (var text in (string[])["one", "two", "three"])
            await runtime.ChatAsync(TestProviders.Ask(text), new RecordingCallbacks(), CancellationToken.None);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(1900), $"three calls took {watch.ElapsedMilliseconds} ms");
        Assert.Equal(3, provider.Requests.Count);
    }

    [Fact]
    public async Task RequestsBeyondTheQueueAreRefusedWithTheLimitNamed()
    {
        await using var provider = await ProviderDouble.StartAsync();
        var tuning = TestProviders.Fast with { RateLimitWindow = TimeSpan.FromHours(1), RateLimitQueueLimit = 0 };
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.Anthropic, provider) with { RequestsPerMinute = 1 }, tuning: tuning);
        await runtime.ChatAsync(TestProviders.Ask("one"), new RecordingCallbacks(), CancellationToken.None);

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("two"), new RecordingCallbacks(), CancellationToken.None));

        Assert.Equal("provider 'anthropic': too many requests are waiting for the client-side rate limit " +
                     "(requests_per_minute = 1 in [providers.anthropic])", error.Message);
        Assert.Single(provider.Requests);
    }

    [Fact]
    public async Task AWaitingRequestCanBeCancelled()
    {
        await using var provider = await ProviderDouble.StartAsync();
        var tuning = TestProviders.Fast with { RateLimitWindow = TimeSpan.FromHours(1) };
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.Ollama, provider) with { RequestsPerMinute = 1 }, tuning: tuning);
        await runtime.ChatAsync(TestProviders.Ask("one"), new RecordingCallbacks(), CancellationToken.None);
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            runtime.ChatAsync(TestProviders.Ask("two"), new RecordingCallbacks(), cancellation.Token));

        Assert.Single(provider.Requests);
    }
}
