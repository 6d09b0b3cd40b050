using System.Text.Json;
using System.Text.Json.Nodes;
using LlmSpell.Llm;

namespace LlmSpell.Scripting;

/// <summary>An agent call's result as the Lua table scripts see (r.text, r.usage, r.metadata, r.tool_calls).</summary>
internal static class AgentResultJson
{
    public static JsonObject Of(ChatCallResult r)
    {
        var calls = new JsonArray();
        foreach (var c in r.ToolCalls)
        {
            calls.Add((JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["arguments"] = ParseOrText(c.ArgumentsJson),
                ["result"] = c.ResultJson is null ? null : ParseOrText(c.ResultJson),
                ["error"] = c.Error,
            });
        }
        return new JsonObject
        {
            ["text"] = r.Text,
            ["finish_reason"] = r.FinishReason,
            ["usage"] = new JsonObject
            {
                ["input_tokens"] = r.InputTokens,
                ["output_tokens"] = r.OutputTokens,
                ["total_tokens"] = r.TotalTokens,
                ["cost_usd"] = r.CostUsd,
            },
            ["metadata"] = new JsonObject
            {
                ["provider"] = r.Provider,
                ["model"] = r.Model,
                ["duration_ms"] = r.DurationMs,
                ["attempts"] = r.Attempts,
            },
            ["tool_calls"] = calls,
        };
    }

    private static JsonNode? ParseOrText(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
