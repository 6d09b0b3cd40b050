using System.ClientModel;
using System.ClientModel.Primitives;
using LlmSpell.ProviderDoubles;
using Microsoft.Extensions.AI;
using OpenAI;

namespace LlmSpell.Llm.Tests.Doubles;

/// <summary>
/// The .NET stack LlmSpell.Llm builds on (the official OpenAI .NET SDK behind Microsoft.Extensions.AI's IChatClient)
/// against the OpenAI double: text, streaming with usage, streamed tool calls, and a 429.
/// </summary>
public sealed class DotNetOpenAIClientTests
{
    private static IChatClient Client(ProviderDouble provider, string key = "k") =>
        new OpenAIClient(new ApiKeyCredential(key), new OpenAIClientOptions
        {
            Endpoint = new Uri(provider.OpenAIBaseUrl),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        }).GetChatClient("gpt-4o-mini").AsIChatClient();

    [Fact]
    public async Task TextAndUsageComeThroughTheIChatClient()
    {
        await using var provider = await ProviderDouble.StartAsync();
        var response = await Client(provider).GetResponseAsync([new(ChatRole.System, "be brief"), new(ChatRole.User, "Hello there")]);
        Assert.Equal("echo: Hello there", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal(4, response.Usage?.InputTokenCount);
        Assert.Equal(3, response.Usage?.OutputTokenCount);
        Assert.Equal("gpt-4o-mini", response.ModelId);
    }

    [Fact]
    public async Task StreamedToolCallsAreAssembledIntoFunctionCalls()
    {
        await using var provider = await ProviderDouble.StartAsync();
        var tool = AIFunctionFactory.Create((string city) => "mild", "get_weather");
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client(provider).GetStreamingResponseAsync(
            [new(ChatRole.User, """[[call get_weather {"city":"Paris, France"}]]""")], new ChatOptions { Tools = [tool] }))
            updates.Add(update);

        var response = updates.ToChatResponse();
        var call = Assert.Single(response.Messages.SelectMany(message => message.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("call_1", call.CallId);
        Assert.Equal("Paris, France", call.Arguments?["city"]?.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);

        var final = await Client(provider).GetResponseAsync(
            [new(ChatRole.User, """[[call get_weather {"city":"Paris, France"}]]"""), .. response.Messages,
             new(ChatRole.Tool, [new FunctionResultContent(call.CallId, "mild")])], new ChatOptions { Tools = [tool] });
        Assert.Equal("tool results: mild", final.Text);
    }

    [Fact]
    public async Task StreamedTextReassemblesWithUsage()
    {
        await using var provider = await ProviderDouble.StartAsync();
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client(provider).GetStreamingResponseAsync([new(ChatRole.User, "stream these four words")]))
            updates.Add(update);
        var response = updates.ToChatResponse();
        Assert.Equal("echo: stream these four words", response.Text);
        Assert.True(updates.Count(update => update.Text.Length > 0) >= 5);
        var body = provider.Requests.Single().Body;
        Assert.Contains("\"stream\":true", body);
        Assert.Contains("\"include_usage\":true", body);
        Assert.Equal(5, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task A429AndA401AreClientResultExceptionsWithTheirStatus()
    {
        await using var provider = await ProviderDouble.StartAsync();
        provider.Enqueue(Fault.Status(429, retryAfterSeconds: 1));
        var limited = await Assert.ThrowsAsync<ClientResultException>(() => Client(provider).GetResponseAsync("hi"));
        Assert.Equal(429, limited.Status);

        provider.RequiredApiKey = "right-key";
        var denied = await Assert.ThrowsAsync<ClientResultException>(() => Client(provider, "wrong-key").GetResponseAsync("hi"));
        Assert.Equal(401, denied.Status);
        Assert.DoesNotContain("wrong-key", denied.Message);
    }
}
