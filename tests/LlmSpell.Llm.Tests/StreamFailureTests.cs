using System.Diagnostics;
using LlmSpell.Llm.Tests.Support;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests;

/// <summary>Dropped, stalled, malformed and oversized responses: retried only while no text reached the script.</summary>
public sealed class StreamFailureTests
{
    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task AStreamDroppedBeforeItsFirstTokenIsRetried(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        var observer = new RecordingObserver();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider), observer);
        provider.Enqueue(Fault.DropAfterChunks(TestProviders.ChunksBeforeText(type)));
        var callbacks = new RecordingCallbacks();

        var result = await runtime.ChatAsync(TestProviders.Ask("one two three", stream: true), callbacks, CancellationToken.None);

        Assert.Equal("echo: one two three", result.Text);
        Assert.Equal(result.Text, callbacks.Streamed);
        Assert.Equal(2, result.Attempts);
        Assert.Equal([(type, "connection")], observer.Retries);
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task AStreamDroppedAfterItsFirstTokenIsNotRetried(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        var observer = new RecordingObserver();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider), observer);
        // The abort follows the last chunk at once and may discard it unread (a reset drops unread data), so the
        // connection dies one chunk after the first text, which has had the chunk delay to arrive.
        provider.ChunkDelay = TimeSpan.FromMilliseconds(300);
        provider.Enqueue(Fault.DropAfterChunks(TestProviders.ChunksBeforeText(type) + 2));
        var callbacks = new RecordingCallbacks();

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("one two three", stream: true), callbacks, CancellationToken.None));

        Assert.StartsWith($"provider '{type}' broke off the stream after text had arrived", error.Message);
        Assert.Contains("not retried", error.Message);
        Assert.Equal("echo:", callbacks.Pieces[0]);
        Assert.True(callbacks.Pieces.Count <= 2, $"pieces: [{string.Join("|", callbacks.Pieces)}]");
        Assert.Single(provider.ChatRequests(type));
        Assert.Empty(observer.Retries);
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task AWholeResponseDroppedAfterItsHeadersIsRetried(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider));
        provider.Enqueue(Fault.DropAfterChunks(0));

        var result = await runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal("echo: hi", result.Text);
        Assert.Equal(2, result.Attempts);
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task AMalformedStreamChunkIsAClearErrorAndNotRetried(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider));
        provider.Enqueue(Fault.Malformed());

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi", stream: true), new RecordingCallbacks(), CancellationToken.None));

        Assert.StartsWith($"provider '{type}' sent a malformed stream chunk: ", error.Message);
        Assert.Single(provider.ChatRequests(type));
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task AMalformedResponseBodyIsAClearError(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider));
        provider.Enqueue(Fault.Malformed());

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));

        Assert.StartsWith($"provider '{type}' sent a malformed response: ", error.Message);
        Assert.Single(provider.ChatRequests(type));
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task AStallAfterTheFirstTokenIsCutByTheTimeout(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider) with { TimeoutSeconds = 1 });
        provider.Enqueue(Fault.StallAfterChunks(TestProviders.ChunksBeforeText(type) + 1));
        var callbacks = new RecordingCallbacks();
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("one two three", stream: true), callbacks, CancellationToken.None));

        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
        Assert.Contains($"provider '{type}'", error.Message);
        Assert.Contains("timeout_seconds", error.Message);
        Assert.Equal(["echo:"], callbacks.Pieces);
        Assert.Single(provider.ChatRequests(type));
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task AStreamSilentBeforeItsFirstTokenIsCutByTheIdleTimeoutAndRetried(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        var observer = new RecordingObserver();
        var tuning = TestProviders.Fast with { StreamIdleTimeout = TimeSpan.FromMilliseconds(300) };
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider), observer, tuning);
        provider.Enqueue(Fault.StallAfterChunks(TestProviders.ChunksBeforeText(type)));
        var callbacks = new RecordingCallbacks();

        var result = await runtime.ChatAsync(TestProviders.Ask("one two", stream: true), callbacks, CancellationToken.None);

        Assert.Equal("echo: one two", callbacks.Streamed);
        Assert.Equal(2, result.Attempts);
        Assert.Equal([(type, "timeout")], observer.Retries);
    }

    [Fact]
    public async Task ANonStreamedStallIsCutByTheTimeout()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.Anthropic, provider) with { TimeoutSeconds = 1 });
        provider.Enqueue(Fault.StallAfterChunks(0));
        var watch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None));

        Assert.Equal("provider 'anthropic' did not finish within 1 s (timeout_seconds in [providers.anthropic]); raise it or ask for less output",
            error.Message);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
    }

    [Theory]
    [InlineData(ProviderTypes.OpenAI, false)]
    [InlineData(ProviderTypes.OpenAI, true)]
    [InlineData(ProviderTypes.Anthropic, false)]
    [InlineData(ProviderTypes.Anthropic, true)]
    [InlineData(ProviderTypes.Ollama, false)]
    [InlineData(ProviderTypes.Ollama, true)]
    public async Task AResponseOverMaxResponseBytesIsRefused(string type, bool stream)
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider), maxResponseBytes: 600);
        var longText = string.Join(' ', Enumerable.Repeat("word", 200));

        var error = await Assert.ThrowsAsync<LlmException>(() =>
            runtime.ChatAsync(TestProviders.Ask(longText, stream), new RecordingCallbacks(), CancellationToken.None));

        Assert.Equal($"provider '{type}' sent more than 600 bytes; raise max_response_bytes or ask for less output", error.Message);
        Assert.Single(provider.ChatRequests(type));
    }
}
