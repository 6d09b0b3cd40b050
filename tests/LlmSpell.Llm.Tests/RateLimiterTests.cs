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
        // 2 per 2 s window: a permit comes back every second.
        var tuning = TestProviders.Fast with { RateLimitWindow = TimeSpan.FromSeconds(2) };
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.OpenAI, provider) with { RequestsPerMinute = 2 }, tuning: tuning);
        var watch = Stopwatch.StartNew();

        await runtime.ChatAsync(TestProviders.Ask("one"), new RecordingCallbacks(), CancellationToken.None);
        await runtime.ChatAsync(TestProviders.Ask("two"), new RecordingCallbacks(), CancellationToken.None);
        var burst = watch.Elapsed;
        await runtime.ChatAsync(TestProviders.Ask("three"), new RecordingCallbacks(), CancellationToken.None);

        Assert.True(burst < TimeSpan.FromMilliseconds(900), $"the burst took {burst.TotalMilliseconds} ms");
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(900), $"the third call went out after {watch.ElapsedMilliseconds} ms");
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

        Assert.Equal("provider 'anthropic': too many requests are waiting for the client-side limit of 1 requests per minute " +
                     "(requests_per_minute in [providers.anthropic])", error.Message);
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
