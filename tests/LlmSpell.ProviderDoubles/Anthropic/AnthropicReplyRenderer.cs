using System.Text.Json.Nodes;
using LlmSpell.ProviderDoubles.Conversation;

namespace LlmSpell.ProviderDoubles.Anthropic;

/// <summary>
/// A <see cref="Reply"/> as a Messages API <c>message</c> and as its SSE events: message_start, per content block
/// content_block_start / content_block_delta (text_delta, input_json_delta) / content_block_stop, a ping after the first
/// block starts, message_delta (stop_reason, usage.output_tokens) and message_stop.
/// </summary>
internal static class AnthropicReplyRenderer
{
    public static RenderedReply Render(ChatTurn turn, Reply reply, IdSource ids)
    {
        var id = ids.Next("msg_");
        var toolUses = reply.ToolCalls.Select(call => (Id: ids.Next("toolu_"), Call: call)).ToList();

        var content = toolUses.Count > 0
            ? toolUses.Select(tool => (JsonNode)ToolUseBlock(tool.Id, tool.Call.Name, JsonNode.Parse(tool.Call.ArgumentsJson)!)).ToArray()
            : [new JsonObject { ["type"] = "text", ["text"] = reply.Text }];
        var message = Message(turn, id, new JsonArray(content), StopReason(reply.Finish), Usage(reply.InputTokens, reply.OutputTokens));
        return new RenderedReply(Json.Write(message), Events(turn, reply, id, toolUses));
    }

    private static List<string> Events(ChatTurn turn, Reply reply, string id, List<(string Id, PlannedToolCall Call)> toolUses)
    {
        var events = new List<string>();
        void Add(string type, JsonObject data)
        {
            data.Insert(0, "type", type);
            events.Add($"event: {type}\ndata: {Json.Write(data)}\n\n");
        }

        Add("message_start", new JsonObject { ["message"] = Message(turn, id, [], null, Usage(reply.InputTokens, 1)) });
        if (toolUses.Count == 0)
        {
            Add("content_block_start", new JsonObject { ["index"] = 0, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" } });
            Add("ping", []);
            foreach (var word in reply.TextChunks)
                Add("content_block_delta", new JsonObject { ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = word } });
            Add("content_block_stop", new JsonObject { ["index"] = 0 });
        }
        for (var index = 0; index < toolUses.Count; index++)
        {
            Add("content_block_start", new JsonObject { ["index"] = index, ["content_block"] = ToolUseBlock(toolUses[index].Id, toolUses[index].Call.Name, new JsonObject()) });
            if (index == 0) Add("ping", []);
            foreach (var fragment in (string[])["", .. Fragments.Split(toolUses[index].Call.ArgumentsJson, 8)])
                Add("content_block_delta", new JsonObject
                {
                    ["index"] = index,
                    ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = fragment },
                });
            Add("content_block_stop", new JsonObject { ["index"] = index });
        }
        Add("message_delta", new JsonObject
        {
            ["delta"] = new JsonObject { ["stop_reason"] = StopReason(reply.Finish), ["stop_sequence"] = null, ["stop_details"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = reply.OutputTokens },
        });
        Add("message_stop", []);
        return events;
    }

    private static JsonObject Message(ChatTurn turn, string id, JsonArray content, string? stopReason, JsonObject usage) => new()
    {
        ["id"] = id,
        ["type"] = "message",
        ["role"] = "assistant",
        ["model"] = turn.Model,
        ["content"] = content,
        ["stop_reason"] = stopReason,
        ["stop_sequence"] = null,
        ["stop_details"] = null,
        ["container"] = null,
        ["usage"] = usage,
    };

    private static JsonObject ToolUseBlock(string id, string name, JsonNode input) => new()
    {
        ["type"] = "tool_use",
        ["id"] = id,
        ["name"] = name,
        ["input"] = input,
    };

    private static JsonObject Usage(int input, int output) => new()
    {
        ["input_tokens"] = input,
        ["cache_creation_input_tokens"] = 0,
        ["cache_read_input_tokens"] = 0,
        ["output_tokens"] = output,
        ["service_tier"] = "standard",
    };

    private static string StopReason(Finish finish) => finish switch
    {
        Finish.ToolCalls => "tool_use",
        Finish.Length => "max_tokens",
        _ => "end_turn",
    };
}
