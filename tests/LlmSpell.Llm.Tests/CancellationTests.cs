using System.Diagnostics;
using LlmSpell.Llm.Tests.Support;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests;

/// <summary>Cancelling a call aborts its HTTP request promptly and surfaces as OperationCanceledException.</summary>
public sealed class CancellationTests
{
    [Theory]
    [InlineData(ProviderTypes.OpenAI, false)]
    [InlineData(ProviderTypes.OpenAI, true)]
    [InlineData(ProviderTypes.Anthropic, false)]
    [InlineData(ProviderTypes.Anthropic, true)]
    [InlineData(ProviderTypes.Ollama, false)]
    [InlineData(ProviderTypes.Ollama, true)]
    public async Task CancellingWhileTheProviderThinksAbortsWithinASecond(string type, bool stream)
    {
        await using var provider = await ProviderDouble.StartAsync();
        var observer = new RecordingObserver();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider), observer);
        using var cancellation = new CancellationTokenSource();

        var call = runtime.ChatAsync(TestProviders.Ask("[[sleep 30000]] hi", stream), new RecordingCallbacks(), cancellation.Token);
        await Wait.UntilAsync(() => provider.Requests.Count == 1, TimeSpan.FromSeconds(10), "the request to reach the double");
        var watch = Stopwatch.StartNew();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"cancelled after {watch.ElapsedMilliseconds} ms");
        Assert.Equal("cancelled", Assert.Single(observer.Finished).Outcome);
        Assert.Empty(observer.Retries);
        Assert.Single(provider.Requests);
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task CancellingMidStreamStopsTheStream(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.ChunkDelay = TimeSpan.FromMilliseconds(200);
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider));
        using var cancellation = new CancellationTokenSource();
        var callbacks = new RecordingCallbacks { AfterText = _ => cancellation.Cancel() };
        var watch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            runtime.ChatAsync(TestProviders.Ask(string.Join(' ', Enumerable.Repeat("word", 50)), stream: true), callbacks, cancellation.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.ElapsedMilliseconds} ms for a 10 s stream");
        Assert.Single(callbacks.Pieces);
        Assert.Single(provider.Requests);
    }
}
