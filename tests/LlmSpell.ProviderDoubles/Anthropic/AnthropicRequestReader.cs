using System.Text.Json.Nodes;
using LlmSpell.ProviderDoubles.Conversation;
using Microsoft.AspNetCore.Http;

namespace LlmSpell.ProviderDoubles.Anthropic;

/// <summary>
/// Reads a <c>POST /v1/messages</c> request, rejecting what the real API rejects (messages in its "path: problem" style).
/// System text may come as the top-level <c>system</c> or, as API version 2026-10-21 allows, as role "system" messages.
/// </summary>
internal static class AnthropicRequestReader
{
    private static readonly string[] BlockTypes =
        ["text", "image", "document", "tool_use", "tool_result", "thinking", "redacted_thinking", "search_result", "server_tool_use"];

    public static ChatTurn Read(HttpRequest request, JsonObject body)
    {
        if (!request.Headers.ContainsKey("anthropic-version")) throw Invalid("anthropic-version: header is required");

        var model = body["model"] is null ? throw Invalid("model: Field required")
            : Json.AsString(body["model"]) ?? throw Invalid("model: Input should be a valid string");
        var maxTokens = body["max_tokens"] is null ? throw Invalid("max_tokens: Field required")
            : Json.AsInteger(body["max_tokens"]) ?? throw Invalid("max_tokens: Input should be a valid integer");
        if (maxTokens < 1) throw Invalid("max_tokens: Input should be greater than or equal to 1");
        var messages = body["messages"] is null ? throw Invalid("messages: Field required")
            : body["messages"] as JsonArray ?? throw Invalid("messages: Input should be a valid list");
        if (messages.Count == 0) throw Invalid("messages: at least one message is required");
        var stream = body["stream"] is null ? false : Json.AsBool(body["stream"]) ?? throw Invalid("stream: Input should be a valid boolean");

        var inputTokens = Words.Count(SystemText(body["system"]));
        string? lastUserText = null;
        IReadOnlyList<string>? trailingResults = null;
        var pendingToolUses = new List<string>();
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] as JsonObject ?? throw Invalid($"messages.{i}: Input should be a valid dictionary");
            var role = Json.AsString(message["role"]) ?? throw Invalid($"messages.{i}.role: Field required");
            if (role is not ("user" or "assistant" or "system")) throw Invalid($"messages.{i}.role: Input should be 'user', 'assistant' or 'system'");
            var blocks = Blocks(message, i);

            var results = new List<string>();
            var texts = new List<string>();
            var toolUses = new List<string>();
            for (var j = 0; j < blocks.Count; j++)
            {
                var block = blocks[j];
                switch (Json.AsString(block["type"]))
                {
                    case "text":
                        texts.Add(Json.AsString(block["text"]) ?? throw Invalid($"messages.{i}.content.{j}.text.text: Field required"));
                        break;
                    case "tool_use":
                        if (role != "assistant") throw Invalid($"messages.{i}.content.{j}: `tool_use` blocks can only be in `assistant` messages");
                        toolUses.Add(Json.AsString(block["id"]) ?? throw Invalid($"messages.{i}.content.{j}.tool_use.id: Field required"));
                        if (Json.AsString(block["name"]) is null) throw Invalid($"messages.{i}.content.{j}.tool_use.name: Field required");
                        if (block["input"] is not JsonObject) throw Invalid($"messages.{i}.content.{j}.tool_use.input: Input should be a valid dictionary");
                        break;
                    case "tool_result":
                        var id = Json.AsString(block["tool_use_id"]) ?? throw Invalid($"messages.{i}.content.{j}.tool_result.tool_use_id: Field required");
                        if (!pendingToolUses.Remove(id))
                            throw Invalid($"messages.{i}.content.{j}: unexpected `tool_use_id` found in `tool_result` blocks: {id}. " +
                                "Each `tool_result` block must have a corresponding `tool_use` block in the previous message.");
                        results.Add(ToolResultText(block["content"]));
                        break;
                }
            }
            if (pendingToolUses.Count > 0)
                throw Invalid($"messages.{i - 1}: `tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", pendingToolUses)}. " +
                    "Each `tool_use` block must have a corresponding `tool_result` block in the next message.");
            pendingToolUses = toolUses;

            inputTokens += texts.Sum(Words.Count) + results.Sum(Words.Count);
            if (role == "user" && texts.Count > 0) lastUserText = string.Join("\n", texts);
            trailingResults = role == "user" && results.Count > 0 ? results : null;
        }
        if (pendingToolUses.Count > 0)
            throw Invalid($"messages.{messages.Count - 1}: `tool_use` ids were found without `tool_result` blocks immediately after: {string.Join(", ", pendingToolUses)}. " +
                "Each `tool_use` block must have a corresponding `tool_result` block in the next message.");

        return new ChatTurn
        {
            Model = model,
            Stream = stream,
            MaxTokens = (int)Math.Min(maxTokens, int.MaxValue),
            HasTools = ReadTools(body),
            LastUserText = lastUserText,
            TrailingToolResults = trailingResults,
            InputTokens = inputTokens,
        };
    }

    /// <summary>The message content as blocks (a string is one text block).</summary>
    private static List<JsonObject> Blocks(JsonObject message, int i)
    {
        switch (message["content"])
        {
            case null:
                throw Invalid($"messages.{i}.content: Field required");
            case JsonArray array:
                var blocks = new List<JsonObject>();
                for (var j = 0; j < array.Count; j++)
                {
                    var block = array[j] as JsonObject ?? throw Invalid($"messages.{i}.content.{j}: Input should be a valid dictionary");
                    var type = Json.AsString(block["type"]);
                    if (type is null) throw Invalid($"messages.{i}.content.{j}: Unable to extract tag using discriminator 'type'");
                    if (!BlockTypes.Contains(type))
                        throw Invalid($"messages.{i}.content.{j}: Input tag '{type}' found using 'type' does not match any of the expected tags: " +
                            string.Join(", ", BlockTypes.Select(known => $"'{known}'")));
                    blocks.Add(block);
                }
                return blocks;
            case var content:
                var text = Json.AsString(content) ?? throw Invalid($"messages.{i}.content: Input should be a valid list");
                return [new JsonObject { ["type"] = "text", ["text"] = text }];
        }
    }

    private static string SystemText(JsonNode? system) => system switch
    {
        null => "",
        JsonArray blocks => string.Join("\n", blocks.Select(block => Json.AsString(block?["text"]) ?? throw Invalid("system: Input should be a valid list of text blocks"))),
        _ => Json.AsString(system) ?? throw Invalid("system: Input should be a valid string"),
    };

    private static string ToolResultText(JsonNode? content) => content switch
    {
        null => "",
        JsonArray blocks => string.Join("\n", blocks.Select(block => Json.AsString(block?["type"]) == "text" ? Json.AsString(block?["text"]) : null)
            .Where(text => text is not null)),
        _ => Json.AsString(content) ?? "",
    };

    private static bool ReadTools(JsonObject body)
    {
        var node = body["tools"];
        if (node is null) return false;
        var tools = node as JsonArray ?? throw Invalid("tools: Input should be a valid list");
        for (var j = 0; j < tools.Count; j++)
        {
            var tool = tools[j] as JsonObject ?? throw Invalid($"tools.{j}: Input should be a valid dictionary");
            if (Json.AsString(tool["name"]) is null) throw Invalid($"tools.{j}.custom.name: Field required");
            var custom = Json.AsString(tool["type"]) is null or "custom";
            if (custom && tool["input_schema"] is not JsonObject) throw Invalid($"tools.{j}.custom.input_schema: Field required");
        }
        return tools.Count > 0 && Json.AsString(body["tool_choice"]?["type"]) != "none";
    }

    private static InvalidRequestException Invalid(string message) => new(new ProviderError(400, "invalid_request_error", message));
}
