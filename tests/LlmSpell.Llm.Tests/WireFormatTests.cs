using System.Text.Json.Nodes;
using LlmSpell.Llm.Tests.Support;
using LlmSpell.ProviderDoubles;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Tests;

/// <summary>What each client puts on the wire, read back from the double's recorded requests.</summary>
public sealed class WireFormatTests
{
    [Fact]
    public async Task AnthropicGetsTopLevelSystemDefaultMaxTokensHeadersAndToolSchemas()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.RequiredApiKey = TestProviders.Key;
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.Anthropic, provider));

        await runtime.ChatAsync(TestProviders.Ask("""[[call lookup {"q":"x"}]]""", tools: [TestProviders.Lookup]), new RecordingCallbacks(),
            CancellationToken.None);

        var (first, second) = (provider.Requests[0], provider.Requests[1]);
        Assert.Equal(TestProviders.Key, first.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", first.Headers["anthropic-version"]);
        Assert.False(first.Headers.ContainsKey("Authorization"));
        var body = JsonNode.Parse(first.Body)!;
        Assert.Equal("Be brief.", (string?)body["system"]);
        Assert.Equal(1024, (int?)body["max_tokens"]);
        Assert.Equal("user", (string?)body["messages"]![0]!["role"]);
        Assert.Single(body["messages"]!.AsArray());
        var tool = body["tools"]![0]!;
        Assert.Equal("lookup", (string?)tool["name"]);
        Assert.Equal("Looks a word up.", (string?)tool["description"]);
        Assert.Equal("string", (string?)tool["input_schema"]!["properties"]!["q"]!["type"]);

        var messages = JsonNode.Parse(second.Body)!["messages"]!.AsArray();
        Assert.Equal(["user", "assistant", "user"], messages.Select(m => (string?)m!["role"]));
        var toolUse = messages[1]!["content"]![0]!;
        Assert.Equal("tool_use", (string?)toolUse["type"]);
        Assert.Equal("x", (string?)toolUse["input"]!["q"]);
        var toolResult = messages[2]!["content"]![0]!;
        Assert.Equal("tool_result", (string?)toolResult["type"]);
        Assert.Equal((string?)toolUse["id"], (string?)toolResult["tool_use_id"]);
        Assert.Equal("\"lookup ran\"", (string?)toolResult["content"]);
    }

    [Fact]
    public async Task OllamaGetsStreamFalseOptionsAndToolMessagesNamedAfterTheirTool()
    {
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.Ollama, provider) with { ApiKey = null });

        await runtime.ChatAsync(TestProviders.Ask("""[[call lookup {"q":"x"}]]""", tools: [TestProviders.Lookup]) with { Temperature = 0.5 },
            new RecordingCallbacks(), CancellationToken.None);

        var first = JsonNode.Parse(provider.Requests[0].Body)!;
        Assert.False((bool?)first["stream"]);
        Assert.Equal(0.5, (double?)first["options"]!["temperature"]);
        Assert.Equal("system", (string?)first["messages"]![0]!["role"]);
        Assert.Equal("lookup", (string?)first["tools"]![0]!["function"]!["name"]);
        Assert.False(provider.Requests[0].Headers.ContainsKey("Authorization"));

        var messages = JsonNode.Parse(provider.Requests[1].Body)!["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "tool"], messages.Select(m => (string?)m!["role"]));
        Assert.Equal("x", (string?)messages[2]!["tool_calls"]![0]!["function"]!["arguments"]!["q"]);
        Assert.Equal("lookup", (string?)messages[3]!["tool_name"]);
        Assert.Equal("\"lookup ran\"", (string?)messages[3]!["content"]);
    }

    [Fact]
    public async Task OpenAIHonoursTheBaseUrlAndSendsTheKeyAsBearer()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.RequiredApiKey = TestProviders.Key;
        using var runtime = TestProviders.Runtime(TestProviders.For(ProviderTypes.OpenAI, provider));

        var result = await runtime.ChatAsync(TestProviders.Ask("hi"), new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal("echo: hi", result.Text);
        var request = Assert.Single(provider.Requests);
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer " + TestProviders.Key, request.Headers["Authorization"]);
    }

    [Theory]
    [MemberData(nameof(TestProviders.Types), MemberType = typeof(TestProviders))]
    public async Task EarlierTurnsWithToolCallsAreSentBack(string type)
    {
        // A conversation continued after a call: its NewMessages follow the user message, then the next user message.
        await using var provider = await ProviderDouble.StartAsync();
        using var runtime = TestProviders.Runtime(TestProviders.For(type, provider));
        var ask = TestProviders.Ask("""[[call lookup {"q":"x"}]]""", tools: [TestProviders.Lookup]);
        var first = await runtime.ChatAsync(ask, new RecordingCallbacks(), CancellationToken.None);
        List<ChatMessage> history = [.. ask.Messages, .. first.NewMessages, new(ChatRole.User, "and now?")];

        var second = await runtime.ChatAsync(ask with { Messages = history }, new RecordingCallbacks(), CancellationToken.None);

        Assert.Equal("echo: and now?", second.Text);
        Assert.Equal(3, provider.ChatRequests(type).Count);
    }
}
