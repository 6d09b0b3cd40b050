namespace LlmSpell.Llm.Tests.Doubles;

/// <summary>The official Anthropic SDK (npm @anthropic-ai/sdk) against the double: what it parsed, and what it sent.</summary>
public sealed class AnthropicSdkTests(AnthropicSdkRun run) : IClassFixture<AnthropicSdkRun>
{
    [Fact]
    public void A429WithRetryAfterIsTheSdksRateLimitError()
    {
        var error = run.Observed.Check("rateLimited");
        Assert.True(error.Bool("isRateLimitError"), error.ToJsonString());
        Assert.Equal(429, error.Int("status"));
        Assert.Equal("7", error.Str("retryAfter"));
        Assert.Equal("rate_limit_error", error.Str("errorType"));
        Assert.Equal("slow down", error.Str("apiMessage"));
        Assert.StartsWith("req_", error.Str("requestId"));
        Assert.Equal(error.Str("requestId"), error.Str("bodyRequestId"));
    }

    [Fact]
    public void A529IsTheSdksOverloadedError()
    {
        var error = run.Observed.Check("overloaded");
        Assert.True(error.Bool("isOverloadedError"), error.ToJsonString());
        Assert.Equal(529, error.Int("status"));
        Assert.Equal("overloaded_error", error.Str("errorType"));
    }

    [Fact]
    public void AStreamDroppedAfterFiveEventsFailsInTheSdkAfterTheTextSoFar()
    {
        var dropped = run.Observed.Check("dropped");
        Assert.True(dropped.Bool("threw"), dropped.ToJsonString());
        Assert.Equal("echo: cut", dropped.Str("text")); // message_start, content_block_start, ping, "echo:", " cut"
    }

    [Fact]
    public void AWrongKeyIsTheSdksAuthenticationError()
    {
        var error = run.Observed.Check("wrongKey");
        Assert.True(error.Bool("isAuthenticationError"), error.ToJsonString());
        Assert.Equal(401, error.Int("status"));
        Assert.Equal("authentication_error", error.Str("errorType"));
        Assert.DoesNotContain("wrong-key", error.Str("message"));
        // SDK 1.x sends the key as Authorization: Bearer (API version 2026-10-21); older ones as x-api-key.
        Assert.Contains(run.Provider.Requests, request =>
            request.Headers.GetValueOrDefault("Authorization") == "Bearer wrong-key" || request.Headers.GetValueOrDefault("x-api-key") == "wrong-key");
    }

    [Fact]
    public void APlainMessageEchoesWithUsageAndTheRequestedModel()
    {
        var plain = run.Observed.Check("plain");
        Assert.Equal("message", plain.Str("type"));
        Assert.Equal("assistant", plain.Str("role"));
        Assert.Equal("claude-haiku-4-5", plain.Str("model"));
        Observed.JsonEqual("""[{"type":"text","text":"echo: Hello there"}]""", plain["content"]);
        Assert.Equal("end_turn", plain.Str("stopReason"));
        Assert.Equal(5, plain["usage"]!.Int("input_tokens")); // system "You are terse." + "Hello there"
        Assert.Equal(3, plain["usage"]!.Int("output_tokens"));
        Assert.All(run.Provider.Requests.Where(request => request.Path == "/v1/messages"),
            request => Assert.True(request.Headers.ContainsKey("anthropic-version")));
    }

    [Fact]
    public void AStreamSendsTheEventSequenceAndReassembles()
    {
        var stream = run.Observed.Check("stream");
        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta",
             "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            stream.Strings("events"));
        Assert.Equal("echo: stream these four words", stream.Str("text"));
        Assert.Equal(4, stream.Int("inputTokens"));
        Assert.Equal(5, stream.Int("outputTokens"));
        Assert.Equal("end_turn", stream.Str("stopReason"));
        Assert.Equal("echo: stream these four words", stream.Str("helperText"));
        Assert.Equal(5, stream["helperUsage"]!.Int("output_tokens"));
    }

    [Fact]
    public void ToolUseRoundTripsToToolResults()
    {
        var tools = run.Observed.Check("tools");
        Assert.Equal("tool_use", tools.Str("stopReason"));
        var calls = tools["calls"]!.AsArray();
        Assert.Equal(["get_weather", "get_time"], calls.Select(call => call!.Str("name")));
        Assert.All(calls, call => Assert.StartsWith("toolu_", call!.Str("id")));
        Assert.Equal(2, calls.Select(call => call!.Str("id")).Distinct().Count());
        Observed.JsonEqual("""{"city":"Paris"}""", calls[0]!["input"]);
        Observed.JsonEqual("""{"zone":"CET"}""", calls[1]!["input"]);
        Assert.Equal("tool results: 18C sunny; 14:05", tools.Str("finalText"));
        Assert.Equal("end_turn", tools.Str("finalStopReason"));
    }

    [Fact]
    public void StreamedToolUseArrivesAsInputJsonDeltasTheSdkHelperAssembles()
    {
        var streamed = run.Observed.Check("toolsStreamed");
        Assert.Equal("tool_use", streamed.Str("stopReason"));
        Assert.Equal("get_weather", streamed.Str("name"));
        Observed.JsonEqual("""{"city":"Paris, France","unit":"celsius"}""", streamed["input"]);
        var fragments = streamed.Strings("fragments");
        Assert.True(fragments.Count > 2, string.Join("|", fragments));
        Assert.All(fragments, fragment => Assert.InRange(fragment.Length, 0, 8));
        Assert.Equal("tool results: mild", streamed.Str("finalText"));
    }

    [Fact]
    public void MaxTokensCutsTheReplyWithStopReasonMaxTokens()
    {
        var limited = run.Observed.Check("maxTokens");
        Assert.Equal("one two", limited.Str("text"));
        Assert.Equal("max_tokens", limited.Str("stopReason"));
        Assert.Equal(2, limited["usage"]!.Int("output_tokens"));
    }

    [Fact]
    public void ModelsListInTheAnthropicFormat()
    {
        var models = run.Observed.Check("models")["models"]!.AsArray();
        Assert.NotEmpty(models);
        Assert.All(models, model => Assert.Equal("model", model!.Str("type")));
        Assert.All(models, model => Assert.False(string.IsNullOrEmpty(model!.Str("displayName"))));
    }
}
