using System.Diagnostics;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests.Doubles;

/// <summary>PeakConcurrency, Latency, ChunkDelay and the [[sleep]] / [[slow]] directives.</summary>
public sealed class ConcurrencyAndTimingTests
{
    private const string Chat = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello"}]}""";
    private const string Stream = """{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hello"}]}""";

    [Fact]
    public async Task PeakConcurrencyCountsTheChatRequestsInFlightAtOnce()
    {
        await using var provider = await ProviderDouble.StartAsync();
        const int parallel = 4;
        for (var i = 0; i < parallel; i++) provider.Enqueue(Fault.StallAfterChunks(0));
        using var gone = new CancellationTokenSource();

        // Each stalled stream has its headers but never ends, so all four are in flight together once they all answered.
        var responses = await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ =>
            DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", Stream, completion: HttpCompletionOption.ResponseHeadersRead, cancel: gone.Token)));
        Assert.All(responses, response => Assert.Equal(200, (int)response.StatusCode));
        Assert.Equal(parallel, provider.PeakConcurrency);

        await gone.CancelAsync();
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task SequentialRequestsPeakAtOneAndModelListsDoNotCount()
    {
        await using var provider = await ProviderDouble.StartAsync();
        Assert.Equal(0, provider.PeakConcurrency);
        for (var i = 0; i < 3; i++)
        {
            using var response = await DoubleHttp.PostAsync(provider.BaseUrl + "/api/chat", """{"model":"llama3.2","stream":false}""");
            Assert.Equal(200, (int)response.StatusCode);
        }
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => DoubleHttp.GetAsync(provider.OpenAIBaseUrl + "/models")));
        Assert.Equal(1, provider.PeakConcurrency);
    }

    [Fact]
    public async Task LatencyAndSleepDelayTheFirstByte()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.Latency = TimeSpan.FromMilliseconds(150);
        Assert.Equal(TimeSpan.FromMilliseconds(150), provider.Latency);

        var watch = Stopwatch.StartNew();
        using var models = await DoubleHttp.GetAsync(provider.OpenAIBaseUrl + "/models");
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(150), $"{watch.Elapsed} < Latency");

        watch.Restart();
        using var slept = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions",
            """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"[[sleep 150]] hi"}]}""");
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(300), $"{watch.Elapsed} < Latency + sleep");
        Assert.Equal("echo: hi", (await slept.JsonAsync())["choices"]![0]!["message"]!.Str("content"));
    }

    [Fact]
    public async Task ChunkDelayAndSlowSpaceTheStreamChunks()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.ChunkDelay = TimeSpan.FromMilliseconds(30);

        var watch = Stopwatch.StartNew();
        using var response = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions",
            """{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"[[slow 30]] a b"}]}""");
        var elapsed = watch.Elapsed;
        // role, "echo:", " a", " b", finish, [DONE]: five gaps of ChunkDelay + slow.
        Assert.Equal(6, (await response.SseDataAsync()).Count);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(5 * 60), $"{elapsed} < 5 x 60 ms");
    }
}
