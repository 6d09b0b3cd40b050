using System.Text;
using LlmSpell.Llm.Providers;
using LlmSpell.Llm.Providers.Anthropic;
using LlmSpell.Llm.Providers.Http;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Tests;

/// <summary>Anthropic SSE events the double does not send: error events, and a stream cut before message_stop.</summary>
public sealed class AnthropicStreamReaderTests
{
    [Theory]
    [InlineData("overloaded_error", 529)]
    [InlineData("rate_limit_error", 429)]
    [InlineData("api_error", 500)]
    [InlineData("invalid_request_error", 400)]
    public async Task AnErrorEventFailsLikeItsStatus(string errorType, int status)
    {
        var events = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","model":"m","content":[],"usage":{"input_tokens":3,"output_tokens":1}}}

            event: error
            data: {"type":"error","error":{"type":"ERROR_TYPE","message":"Overloaded"}}


            """.Replace("ERROR_TYPE", errorType, StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<ProviderStatusException>(() => ReadAllAsync(events));

        Assert.Equal(status, error.StatusCode);
        Assert.Equal("Overloaded", error.ProviderMessage);
    }

    [Fact]
    public async Task AStreamWithoutMessageStopEndedEarly()
    {
        var events = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","model":"m","content":[],"usage":{"input_tokens":3,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}


            """;

        await Assert.ThrowsAsync<StreamEndedEarlyException>(() => ReadAllAsync(events));
    }

    [Fact]
    public async Task ToolInputArrivesInPiecesAndUsageComesFromStartAndDelta()
    {
        var events = """
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_1","model":"m","content":[],"usage":{"input_tokens":7,"output_tokens":1}}}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"lookup","input":{}}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"q\":"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"\"x\"}"}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":12}}

            event: message_stop
            data: {"type":"message_stop"}


            """;

        var response = (await ReadAllAsync(events)).ToChatResponse();

        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(("toolu_1", "lookup", """{"q":"x"}"""), (call.CallId, call.Name, FunctionArguments.ToJson(call.Arguments)));
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        Assert.Equal((7L, 12L), (response.Usage!.InputTokenCount, response.Usage.OutputTokenCount));
    }

    private static async Task<List<ChatResponseUpdate>> ReadAllAsync(string events)
    {
        var updates = new List<ChatResponseUpdate>();
        using var body = new MemoryStream(Encoding.UTF8.GetBytes(events.Replace("\r\n", "\n", StringComparison.Ordinal)));
        await foreach (var update in AnthropicStreamReader.ReadAsync(body, CancellationToken.None)) updates.Add(update);
        return updates;
    }
}
