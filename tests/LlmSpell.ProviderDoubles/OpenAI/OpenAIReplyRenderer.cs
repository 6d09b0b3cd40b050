using System.Text.Json.Nodes;
using LlmSpell.ProviderDoubles.Conversation;

namespace LlmSpell.ProviderDoubles.OpenAI;

/// <summary>A <see cref="Reply"/> as a <c>chat.completion</c> object and as <c>chat.completion.chunk</c> SSE events.</summary>
internal static class OpenAIReplyRenderer
{
    private const string Fingerprint = "fp_provider_double";

    public static RenderedReply Render(ChatTurn turn, Reply reply, IdSource ids)
    {
        var id = ids.Next("chatcmpl-");
        var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var toolCalls = reply.ToolCalls.Select(call => (Id: ids.Next("call_"), Call: call)).ToList();
        return new RenderedReply(Json.Write(Completion(turn, reply, id, created, toolCalls)), Chunks(turn, reply, id, created, toolCalls));
    }

    private static JsonObject Completion(ChatTurn turn, Reply reply, string id, long created, List<(string Id, PlannedToolCall Call)> toolCalls)
    {
        var message = new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = toolCalls.Count > 0 ? null : reply.Text,
            ["refusal"] = null,
            ["annotations"] = new JsonArray(),
        };
        if (toolCalls.Count > 0)
            message["tool_calls"] = new JsonArray(toolCalls.Select(tool => (JsonNode)new JsonObject
            {
                ["id"] = tool.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = tool.Call.Name, ["arguments"] = tool.Call.ArgumentsJson },
            }).ToArray());
        return new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion",
            ["created"] = created,
            ["model"] = turn.Model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = FinishReason(reply.Finish),
            }),
            ["usage"] = Usage(reply),
            ["service_tier"] = "default",
            ["system_fingerprint"] = Fingerprint,
        };
    }

    private static List<string> Chunks(ChatTurn turn, Reply reply, string id, long created, List<(string Id, PlannedToolCall Call)> toolCalls)
    {
        var events = new List<string>();
        void Add(JsonObject delta, string? finishReason = null) =>
            events.Add(Event(Chunk(turn, id, created, new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["delta"] = delta,
                ["logprobs"] = null,
                ["finish_reason"] = finishReason,
            }))));

        if (toolCalls.Count == 0)
        {
            Add(new JsonObject { ["role"] = "assistant", ["content"] = "", ["refusal"] = null });
            foreach (var word in reply.TextChunks) Add(new JsonObject { ["content"] = word });
        }
        for (var index = 0; index < toolCalls.Count; index++)
        {
            // The first fragment of each call names it; the arguments follow in fragments of at most 8 characters.
            var opening = new JsonObject
            {
                ["index"] = index,
                ["id"] = toolCalls[index].Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = toolCalls[index].Call.Name, ["arguments"] = "" },
            };
            Add(index == 0
                ? new JsonObject { ["role"] = "assistant", ["content"] = null, ["tool_calls"] = new JsonArray(opening), ["refusal"] = null }
                : new JsonObject { ["tool_calls"] = new JsonArray(opening) });
            foreach (var fragment in Fragments.Split(toolCalls[index].Call.ArgumentsJson, 8))
                Add(new JsonObject
                {
                    ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = index, ["function"] = new JsonObject { ["arguments"] = fragment } }),
                });
        }
        Add(new JsonObject(), FinishReason(reply.Finish));
        if (turn.IncludeUsage)
        {
            var usageChunk = Chunk(turn, id, created, new JsonArray());
            usageChunk["usage"] = Usage(reply);
            events.Add(Event(usageChunk));
        }
        events.Add("data: [DONE]\n\n");
        return events;
    }

    private static JsonObject Chunk(ChatTurn turn, string id, long created, JsonArray choices)
    {
        var chunk = new JsonObject
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = turn.Model,
            ["service_tier"] = "default",
            ["system_fingerprint"] = Fingerprint,
            ["choices"] = choices,
        };
        if (turn.IncludeUsage) chunk["usage"] = null;
        return chunk;
    }

    private static string Event(JsonObject data) => "data: " + Json.Write(data) + "\n\n";

    private static JsonObject Usage(Reply reply) => new()
    {
        ["prompt_tokens"] = reply.InputTokens,
        ["completion_tokens"] = reply.OutputTokens,
        ["total_tokens"] = reply.InputTokens + reply.OutputTokens,
        ["prompt_tokens_details"] = new JsonObject { ["cached_tokens"] = 0, ["audio_tokens"] = 0 },
        ["completion_tokens_details"] = new JsonObject
        {
            ["reasoning_tokens"] = 0,
            ["audio_tokens"] = 0,
            ["accepted_prediction_tokens"] = 0,
            ["rejected_prediction_tokens"] = 0,
        },
    };

    private static string FinishReason(Finish finish) => finish switch
    {
        Finish.ToolCalls => "tool_calls",
        Finish.Length => "length",
        _ => "stop",
    };
}
