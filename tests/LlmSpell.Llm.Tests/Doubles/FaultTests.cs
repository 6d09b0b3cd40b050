using System.Text.Json;
using LlmSpell.ProviderDoubles;

namespace LlmSpell.Llm.Tests.Doubles;

/// <summary>Each <see cref="Fault"/> kind on the wire, read with a plain HttpClient.</summary>
public sealed class FaultTests
{
    private const string OpenAIChat = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"one two three"}]}""";
    private const string OpenAIStream = """{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"one two three"}]}""";
    private const string AnthropicChat = """{"model":"claude-haiku-4-5","max_tokens":50,"messages":[{"role":"user","content":"one two three"}]}""";
    private const string AnthropicStream = """{"model":"claude-haiku-4-5","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"one two three"}]}""";
    private const string OllamaStream = """{"model":"llama3.2","messages":[{"role":"user","content":"one two three"}]}""";
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);

    [Fact]
    public async Task StatusFaultsAreTakenInOrderByAnyProviderAndAnswerInItsErrorFormat()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.Enqueue(Fault.Status(429, retryAfterSeconds: 3));
        provider.Enqueue(Fault.Status(529, message: "busy"));
        provider.Enqueue(Fault.Status(503, retryAfterSeconds: 1, message: "loading model"));

        using var openAI = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", OpenAIChat);
        Assert.Equal(429, (int)openAI.StatusCode);
        Assert.Equal("3", openAI.RetryAfter());
        var openAIError = (await openAI.JsonAsync())["error"]!;
        Assert.Equal("requests", openAIError.Str("type"));
        Assert.Equal("rate_limit_exceeded", openAIError.Str("code"));
        Assert.False(string.IsNullOrEmpty(openAIError.Str("message")));

        using var anthropic = await DoubleHttp.AnthropicAsync(provider.BaseUrl, AnthropicChat);
        Assert.Equal(529, (int)anthropic.StatusCode);
        Assert.Null(anthropic.RetryAfter());
        var anthropicBody = await anthropic.JsonAsync();
        Assert.Equal("error", anthropicBody.Str("type"));
        Assert.Equal("overloaded_error", anthropicBody["error"]!.Str("type"));
        Assert.Equal("busy", anthropicBody["error"]!.Str("message"));

        using var ollama = await DoubleHttp.PostAsync(provider.BaseUrl + "/api/chat", OllamaStream);
        Assert.Equal(503, (int)ollama.StatusCode);
        Assert.Equal("1", ollama.RetryAfter());
        Observed.JsonEqual("""{"error":"loading model"}""", await ollama.JsonAsync());

        using var healthy = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", OpenAIChat);
        Assert.Equal(200, (int)healthy.StatusCode);
    }

    [Fact]
    public async Task ARejectedRequestLeavesTheFaultForTheNextValidOne()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.Enqueue(Fault.Status(500));

        using var invalid = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", """{"model":"gpt-4o-mini"}""");
        Assert.Equal(400, (int)invalid.StatusCode);
        using var faulted = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", OpenAIChat);
        Assert.Equal(500, (int)faulted.StatusCode);
        Assert.Equal("server_error", (await faulted.JsonAsync())["error"]!.Str("type"));
    }

    [Fact]
    public async Task DropAfterChunksSendsExactlyThatManyChunksThenAbortsTheConnection()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.Enqueue(Fault.DropAfterChunks(2));

        using var response = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", OpenAIStream, completion: HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var events = new List<string>();
        var failure = await Record.ExceptionAsync(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
                if (line.StartsWith("data: ", StringComparison.Ordinal)) events.Add(line);
        });
        Assert.IsAssignableFrom<IOException>(failure);
        Assert.Equal(2, events.Count);
        Assert.DoesNotContain(events, line => line.Contains("[DONE]"));
    }

    [Fact]
    public async Task DropAfterChunksAbortsANonStreamingReplyBeforeItsBody()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.Enqueue(Fault.DropAfterChunks(0));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => DoubleHttp.AnthropicAsync(provider.BaseUrl, AnthropicChat));
        using var next = await DoubleHttp.AnthropicAsync(provider.BaseUrl, AnthropicChat);
        Assert.Equal(200, (int)next.StatusCode);
    }

    [Fact]
    public async Task StallAfterChunksHoldsTheStreamOpenUntilTheClientGoesAway()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.Enqueue(Fault.StallAfterChunks(1));
        using var gone = new CancellationTokenSource();

        using var response = await DoubleHttp.PostAsync(provider.BaseUrl + "/api/chat", OllamaStream, completion: HttpCompletionOption.ResponseHeadersRead, cancel: gone.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(gone.Token));
        var first = await reader.ReadLineAsync(gone.Token);
        Assert.False(JsonDocument.Parse(first!).RootElement.GetProperty("done").GetBoolean());
        var second = reader.ReadLineAsync(gone.Token).AsTask();
        Assert.NotSame(second, await Task.WhenAny(second, Task.Delay(Quiet)));

        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);
        using var next = await DoubleHttp.PostAsync(provider.BaseUrl + "/api/chat", OllamaStream);
        Assert.Equal(200, (int)next.StatusCode);
    }

    [Fact]
    public async Task StallAfterChunksHoldsANonStreamingReplyAfterItsHeaders()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.Enqueue(Fault.StallAfterChunks(0));
        using var gone = new CancellationTokenSource();

        using var response = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", OpenAIChat, completion: HttpCompletionOption.ResponseHeadersRead, cancel: gone.Token);
        Assert.Equal(200, (int)response.StatusCode);
        var body = response.Content.ReadAsStringAsync(gone.Token);
        Assert.NotSame(body, await Task.WhenAny(body, Task.Delay(Quiet)));
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => body);
    }

    [Fact]
    public async Task MalformedPutsABrokenChunkAheadOfEachStreamFormat()
    {
        await using var provider = await ProviderDouble.StartAsync();
        for (var i = 0; i < 3; i++) provider.Enqueue(Fault.Malformed());

        using var openAI = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", OpenAIStream);
        var data = await openAI.SseDataAsync();
        Assert.Equal("{not json", data[0]);
        Assert.Equal("[DONE]", data[^1]);
        Assert.All(data[1..^1], chunk => JsonDocument.Parse(chunk).Dispose());

        using var anthropic = await DoubleHttp.AnthropicAsync(provider.BaseUrl, AnthropicStream);
        var lines = await anthropic.LinesAsync();
        Assert.Equal(["event: message_start", "data: {not json"], lines[..2]);
        Assert.Equal("event: message_stop", lines[^2]);

        using var ollama = await DoubleHttp.PostAsync(provider.BaseUrl + "/api/chat", OllamaStream);
        var ndjson = await ollama.LinesAsync();
        Assert.Equal("{broken", ndjson[0]);
        Assert.True(JsonDocument.Parse(ndjson[^1]).RootElement.GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task MalformedNonStreamingReplyIsA200WithBrokenJson()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.Enqueue(Fault.Malformed());

        using var response = await DoubleHttp.PostAsync(provider.OpenAIBaseUrl + "/chat/completions", OpenAIChat);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.MediaType());
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("{\"id\":", body);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Fact]
    public void FaultArgumentsOutOfRangeAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Fault.Status(200));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fault.Status(429, retryAfterSeconds: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fault.DropAfterChunks(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Fault.StallAfterChunks(-1));
    }
}
