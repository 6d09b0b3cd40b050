namespace LlmSpell.Llm.Tests.Doubles;

/// <summary>The official Ollama JavaScript library (npm ollama) against the double: what it parsed, and what it sent.</summary>
public sealed class OllamaSdkTests(OllamaSdkRun run) : IClassFixture<OllamaSdkRun>
{
    [Fact]
    public void A429IsTheLibrarysResponseErrorWithItsStatusAndMessage()
    {
        var error = run.Observed.Check("rateLimited");
        Assert.True(error.Bool("threw"), error.ToJsonString());
        Assert.Equal("ResponseError", error.Str("name"));
        Assert.Equal(429, error.Int("statusCode"));
        Assert.Equal("slow down", error.Str("error"));
    }

    [Fact]
    public void AStreamDroppedAfterTwoLinesFailsInTheLibraryAfterTheTextSoFar()
    {
        var dropped = run.Observed.Check("dropped");
        Assert.True(dropped.Bool("threw"), dropped.ToJsonString());
        Assert.Equal("echo: cut", dropped.Str("text"));
    }

    [Fact]
    public void AWrongKeyIsA401ResponseError()
    {
        var error = run.Observed.Check("wrongKey");
        Assert.Equal("ResponseError", error.Str("name"));
        Assert.Equal(401, error.Int("statusCode"));
        Assert.Equal("unauthorized", error.Str("error"));
    }

    [Fact]
    public void APlainChatEchoesWithCountersAndTheRequestedModel()
    {
        var plain = run.Observed.Check("plain");
        Assert.Equal("llama3.2", plain.Str("model"));
        Observed.JsonEqual("""{"role":"assistant","content":"echo: Hello there"}""", plain["message"]);
        Assert.True(plain.Bool("done"));
        Assert.Equal("stop", plain.Str("doneReason"));
        Assert.Equal(5, plain.Int("promptEvalCount"));
        Assert.Equal(3, plain.Int("evalCount"));
        Assert.True(plain["totalDuration"]!.GetValue<long>() > 0);
    }

    [Fact]
    public void AStreamReassemblesAndEndsWithTheCounters()
    {
        var stream = run.Observed.Check("stream");
        Assert.Equal("echo: stream these four words", stream.Str("text"));
        Assert.Equal(5, stream.Int("contentParts"));
        Assert.True(stream.Bool("done"));
        Assert.Equal("stop", stream.Str("doneReason"));
        Assert.Equal(4, stream.Int("promptEvalCount"));
        Assert.Equal(5, stream.Int("evalCount"));
    }

    [Fact]
    public void ToolCallsRoundTripToToolResults()
    {
        var tools = run.Observed.Check("tools");
        var calls = tools["calls"]!.AsArray();
        Assert.Equal(["get_weather", "get_time"], calls.Select(call => call!.Str("name")));
        Observed.JsonEqual("""{"city":"Paris"}""", calls[0]!["arguments"]);
        Observed.JsonEqual("""{"zone":"CET"}""", calls[1]!["arguments"]);
        Assert.Equal("", tools.Str("content"));
        Assert.Equal("tool results: 18C sunny; 14:05", tools.Str("finalText"));
        Assert.Contains(run.ChatBodies("/api/chat"), body => body["messages"]!.AsArray().Any(m => m!.Str("role") == "tool"));
    }

    [Fact]
    public void StreamedToolCallsRoundTrip()
    {
        var streamed = run.Observed.Check("toolsStreamed");
        var call = Assert.Single(streamed["calls"]!.AsArray())!;
        Assert.Equal("get_weather", call.Str("name"));
        Observed.JsonEqual("""{"city":"Paris, France","unit":"celsius"}""", call["arguments"]);
        Assert.Equal("tool results: mild", streamed.Str("finalText"));
    }

    [Fact]
    public void NumPredictCutsTheReplyWithDoneReasonLength()
    {
        var limited = run.Observed.Check("maxTokens");
        Assert.Equal("one two", limited.Str("content"));
        Assert.Equal("length", limited.Str("doneReason"));
        Assert.Equal(2, limited.Int("evalCount"));
    }

    [Fact]
    public void TagsListTheModels()
    {
        var models = run.Observed.Check("models");
        Assert.Contains("llama3.2:latest", models.Strings("names"));
        Assert.All(models.Strings("families"), family => Assert.False(string.IsNullOrEmpty(family)));
        Assert.All(run.Provider.Requests.Where(request => request.Path == "/api/tags"),
            request => Assert.Equal("Bearer " + SdkRun.ApiKey, request.Headers.GetValueOrDefault("Authorization")));
    }
}
