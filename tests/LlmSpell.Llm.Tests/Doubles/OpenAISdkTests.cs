using System.Text.Json.Nodes;

namespace LlmSpell.Llm.Tests.Doubles;

/// <summary>The official OpenAI SDK (npm openai) against the double: what it parsed, and what it sent.</summary>
public sealed class OpenAISdkTests(OpenAISdkRun run) : IClassFixture<OpenAISdkRun>
{
    [Fact]
    public void A429WithRetryAfterIsTheSdksRateLimitError()
    {
        var error = run.Observed.Check("rateLimited");
        Assert.True(error.Bool("threw"), error.ToJsonString());
        Assert.True(error.Bool("isRateLimitError"), error.ToJsonString());
        Assert.Equal(429, error.Int("status"));
        Assert.Equal("7", error.Str("retryAfter"));
        Assert.Equal("slow down", error.Str("apiMessage"));
        Assert.Equal("requests", error.Str("type"));
        Assert.Equal("rate_limit_exceeded", error.Str("code"));
    }

    [Fact]
    public void AStreamDroppedAfterThreeChunksFailsInTheSdkAfterTheTextSoFar()
    {
        var dropped = run.Observed.Check("dropped");
        Assert.True(dropped.Bool("threw"), dropped.ToJsonString());
        Assert.Equal("echo: cut", dropped.Str("text")); // the role chunk, "echo:", " cut"
    }

    [Fact]
    public void AWrongKeyIsTheSdksAuthenticationError()
    {
        var error = run.Observed.Check("wrongKey");
        Assert.True(error.Bool("isAuthenticationError"), error.ToJsonString());
        Assert.Equal(401, error.Int("status"));
        Assert.Equal("invalid_api_key", error.Str("code"));
        Assert.DoesNotContain("wrong-key", error.Str("message"));
        Assert.Contains(run.Provider.Requests, request => request.Headers.GetValueOrDefault("Authorization") == "Bearer wrong-key");
    }

    [Fact]
    public void APlainCompletionEchoesWithUsageAndTheRequestedModel()
    {
        var plain = run.Observed.Check("plain");
        Assert.Equal("chat.completion", plain.Str("object"));
        Assert.Equal("gpt-4o-mini", plain.Str("model"));
        Assert.Equal("assistant", plain.Str("role"));
        Assert.Equal("echo: Hello there", plain.Str("content"));
        Assert.Equal("stop", plain.Str("finishReason"));
        var usage = plain["usage"]!;
        Assert.Equal(5, usage.Int("prompt_tokens")); // "You are terse." + "Hello there"
        Assert.Equal(3, usage.Int("completion_tokens"));
        Assert.Equal(8, usage.Int("total_tokens"));
        Assert.Contains(run.Provider.Requests, request => request.Headers.GetValueOrDefault("Authorization") == "Bearer " + SdkRun.ApiKey);
    }

    [Fact]
    public void AStreamReassemblesWordByWordWithAFinalUsageChunk()
    {
        var stream = run.Observed.Check("stream");
        Assert.Equal("echo: stream these four words", stream.Str("text"));
        Assert.Equal(5, stream.Int("contentChunks"));
        Assert.Equal("stop", stream.Str("finishReason"));
        Assert.Equal(0, stream.Int("lastChunkChoices"));
        Assert.Equal(4, stream["usage"]!.Int("prompt_tokens"));
        Assert.Equal(5, stream["usage"]!.Int("completion_tokens"));
        Assert.Contains(run.ChatBodies("/v1/chat/completions"),
            body => body["stream_options"]?["include_usage"]?.GetValue<bool>() == true);
    }

    [Fact]
    public void ToolCallsRoundTripToToolResults()
    {
        var tools = run.Observed.Check("tools");
        Assert.Equal("tool_calls", tools.Str("finishReason"));
        Assert.Null(tools["content"]);
        var calls = tools["calls"]!.AsArray();
        Assert.Equal(["get_weather", "get_time"], calls.Select(call => call!.Str("name")));
        Assert.All(calls, call => Assert.Equal("function", call!.Str("type")));
        Assert.Equal(2, calls.Select(call => call!.Str("id")).Distinct().Count());
        Observed.JsonEqual("""{"city":"Paris"}""", calls[0]!["arguments"]);
        Observed.JsonEqual("""{"zone":"CET"}""", calls[1]!["arguments"]);
        Assert.Equal("tool results: 18C sunny; 14:05", tools.Str("finalText"));
        Assert.Equal("stop", tools.Str("finalFinishReason"));

        var callIds = calls.Select(call => call!.Str("id")).ToList();
        Assert.Contains(run.ChatBodies("/v1/chat/completions"), body =>
            body["messages"]!.AsArray().Where(m => m!.Str("role") == "tool").Select(m => m!.Str("tool_call_id")).SequenceEqual(callIds));
    }

    [Fact]
    public void StreamedToolCallsArriveInSmallFragmentsTheSdkHelperAssembles()
    {
        var streamed = run.Observed.Check("toolsStreamed");
        Assert.Equal("tool_calls", streamed.Str("finishReason"));
        Assert.Equal("get_weather", streamed.Str("name"));
        Assert.StartsWith("call_", streamed.Str("id"));
        Observed.JsonEqual("""{"city":"Paris, France","unit":"celsius"}""", streamed["arguments"]);
        var fragments = streamed.Strings("fragments");
        Assert.True(fragments.Count > 1, string.Join("|", fragments));
        Assert.All(fragments, fragment => Assert.InRange(fragment.Length, 1, 8));
        Assert.Equal("tool results: mild", streamed.Str("finalText"));
    }

    [Fact]
    public void MaxCompletionTokensCutsTheReplyWithFinishLength()
    {
        var limited = run.Observed.Check("maxTokens");
        Assert.Equal("one two", limited.Str("content"));
        Assert.Equal("length", limited.Str("finishReason"));
        Assert.Equal(2, limited["usage"]!.Int("completion_tokens"));
    }

    [Fact]
    public void ModelsListInTheOpenAIFormat()
    {
        var models = run.Observed.Check("models");
        Assert.Contains("gpt-4o-mini", models.Strings("ids"));
    }
}
