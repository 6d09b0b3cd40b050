using System.Text.Json.Nodes;
using LlmSpell.Llm.Tests.Support;
using LlmSpell.ProviderDoubles;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Tests;

/// <summary>Plain, streamed and tool calls against each provider type's double.</summary>
public sealed class ChatTests
{
    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task PlainCallReturnsTheReplyWithoutStreaming(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider));
        var callbacks = new RecordingCallbacks();

        var result = await runtime.ChatAsync(TestProviders.Ask("hello there"), callbacks, CancellationToken.None);

        Assert.Equal("echo: hello there", result.Text);
        Assert.Equal("stop", result.FinishReason);
        Assert.Equal(type, result.Provider);
        Assert.Equal("test-model", result.Model);
        Assert.Equal(1, result.Attempts);
        Assert.Empty(callbacks.Pieces);
        var request = Assert.Single(provider.Requests);
        Assert.Equal(TestProviders.ChatPath(type), request.Path);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("test-model", (string?)body["model"]);
        Assert.NotEqual(true, (bool?)body["stream"]);
        if (type != ProviderTypes.OpenAI) Assert.False((bool?)body["stream"]); // Ollama streams when it is missing
        var reply = Assert.Single(result.NewMessages);
        Assert.Equal(ChatRole.Assistant, reply.Role);
        Assert.Equal("echo: hello there", reply.Text);
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task StreamedPiecesConcatenateToTheText(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        var observer = new RecordingObserver();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider), observer);
        var callbacks = new RecordingCallbacks();

        var result = await runtime.ChatAsync(TestProviders.Ask("one two three four", stream: true), callbacks, CancellationToken.None);

        Assert.Equal("echo: one two three four", result.Text);
        Assert.Equal("stop", result.FinishReason);
        Assert.True(callbacks.Pieces.Count >= 5, $"expected a piece per word, got [{string.Join("|", callbacks.Pieces)}]");
        Assert.Equal(result.Text, callbacks.Streamed);
        Assert.True((bool?)JsonNode.Parse(Assert.Single(provider.Requests).Body)!["stream"]);
        var finished = Assert.Single(observer.Finished);
        Assert.Equal("ok", finished.Outcome);
        Assert.NotNull(finished.TimeToFirstToken);
        Assert.True(finished.TimeToFirstToken <= finished.Duration);
    }

    [Theory]
    [InlineData(ProviderTypes.OpenAI, false)]
    [InlineData(ProviderTypes.OpenAI, true)]
    [InlineData(ProviderTypes.Anthropic, false)]
    [InlineData(ProviderTypes.Anthropic, true)]
    [InlineData(ProviderTypes.Ollama, false)]
    [InlineData(ProviderTypes.Ollama, true)]
    public async Task ToolCallsAreRunAndTheirResultsSentBack(string type, bool stream)
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider));
        var callbacks = new RecordingCallbacks { Tool = (_, arguments) => new ToolOutcome(JsonNode.Parse(arguments)!["q"]!.ToJsonString(), null) };

        var result = await runtime.ChatAsync(
            TestProviders.Ask("""[[call lookup {"q":"alpha"}]] [[call lookup {"q":"beta"}]]""", stream, [TestProviders.Lookup]),
            callbacks, CancellationToken.None);

        Assert.Equal("""tool results: "alpha"; "beta" """.TrimEnd(), result.Text);
        Assert.Equal("stop", result.FinishReason);
        Assert.Equal([("lookup", """{"q":"alpha"}"""), ("lookup", """{"q":"beta"}""")], callbacks.Invocations);
        Assert.Collection(result.ToolCalls,
            call => Assert.Equal(new ToolCallRecord("lookup", """{"q":"alpha"}""", "\"alpha\"", null), call),
            call => Assert.Equal(new ToolCallRecord("lookup", """{"q":"beta"}""", "\"beta\"", null), call));
        Assert.Equal(2, result.Attempts);
        Assert.Equal(2, provider.ChatRequests(type).Count);
        // The assistant turn with both calls, a tool message per result, then the final answer.
        Assert.Equal([ChatRole.Assistant, ChatRole.Tool, ChatRole.Tool, ChatRole.Assistant], result.NewMessages.Select(m => m.Role));
        var calls = result.NewMessages[0].Contents.OfType<FunctionCallContent>().ToList();
        Assert.Equal(2, calls.Count);
        Assert.Equal(calls[0].CallId, Assert.IsType<FunctionResultContent>(Assert.Single(result.NewMessages[1].Contents)).CallId);
        if (stream) Assert.Equal(result.Text, callbacks.Streamed);
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task AFailingToolBecomesAnErrorResultTheModelSees(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider));
        var callbacks = new RecordingCallbacks { Tool = (_, _) => new ToolOutcome(null, "no such word") };

        var result = await runtime.ChatAsync(TestProviders.Ask("""[[call lookup {"q":"x"}]]""", tools: [TestProviders.Lookup]),
            callbacks, CancellationToken.None);

        Assert.Equal("""tool results: {"error":"no such word"}""", result.Text);
        Assert.Equal(new ToolCallRecord("lookup", """{"q":"x"}""", null, "no such word"), Assert.Single(result.ToolCalls));
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task ToolRoundsStopAtTheLimitWithFinishReasonToolCalls(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider));
        var callbacks = new RecordingCallbacks();

        var result = await runtime.ChatAsync(
            TestProviders.Ask("""[[call lookup {"q":"x"}]]""", tools: [TestProviders.Lookup]) with { MaxToolRounds = 0 },
            callbacks, CancellationToken.None);

        Assert.Equal("tool_calls", result.FinishReason);
        Assert.Empty(callbacks.Invocations);
        Assert.Empty(result.ToolCalls);
        Assert.Single(provider.ChatRequests(type));
        // No unanswered tool call is left in the conversation.
        Assert.DoesNotContain(result.NewMessages.SelectMany(m => m.Contents), c => c is FunctionCallContent);
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task UsageIsTheProvidersCountSummedOverRoundsAndPriced(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        var observer = new RecordingObserver();
        var settings = TestProviders.For(type, provider) with { InputPerMillion = 2.0, OutputPerMillion = 8.0 };
        using var runtime = TestProviders.Runtime(settings, observer);

        var result = await runtime.ChatAsync(TestProviders.Ask("""[[call lookup {"q":"x"}]] please""", stream: true, [TestProviders.Lookup]),
            new RecordingCallbacks(), CancellationToken.None);

        // The double counts words: one output token per tool call, then "tool results: "lookup ran"" is 4 words.
        Assert.Equal(1 + 4, result.OutputTokens);
        Assert.Equal(2, observer.Finished.Count);
        Assert.Equal(observer.Finished.Sum(f => f.InputTokens), result.InputTokens);
        Assert.True(result.InputTokens >= 2 * 2, $"input tokens {result.InputTokens}");
        Assert.Equal(result.InputTokens + result.OutputTokens, result.TotalTokens);
        var expectedCost = (result.InputTokens * 2.0 + result.OutputTokens * 8.0) / 1_000_000;
        Assert.Equal(expectedCost, result.CostUsd!.Value, 12);
        Assert.Equal(expectedCost, observer.Finished.Sum(f => f.CostUsd), 12);
        Assert.All(observer.Finished, f => Assert.Equal("ok", f.Outcome));
    }

    [Fact]
    public async Task DurationCoversTheWholeCall()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.Ollama, provider));

        var result = await runtime.ChatAsync(TestProviders.Ask("[[sleep 150]] hi"), new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal("echo: hi", result.Text);
        Assert.InRange(result.DurationMs, 150, 10_000);
    }

    [Fact]
    public async Task WithoutPricingThereIsNoCost()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.OpenAI, provider));

        var result = await runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None);

        Assert.Null(result.CostUsd);
        Assert.Equal(2, result.OutputTokens);
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task MaxTokensIsSentAndALengthCutIsReported(string type)
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider));

        var result = await runtime.ChatAsync(TestProviders.Ask("one two three four five") with { MaxTokens = 3, Temperature = 0.25 },
            new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal("length", result.FinishReason);
        Assert.Equal("echo: one two", result.Text);
        var body = JsonNode.Parse(Assert.Single(provider.Requests).Body)!;
        var (maxTokens, temperature) = type switch
        {
            ProviderTypes.Ollama => (body["options"]?["num_predict"], body["options"]?["temperature"]),
            ProviderTypes.Anthropic => (body["max_tokens"], body["temperature"]),
            _ => (body["max_completion_tokens"] ?? body["max_tokens"], body["temperature"]),
        };
        Assert.Equal(3, (int?)maxTokens);
        Assert.Equal(0.25, (double?)temperature);
    }
}
