using System.Text.Json.Nodes;
using LlmSpell.ProviderDoubles.Conversation;

namespace LlmSpell.ProviderDoubles.OpenAI;

/// <summary>Reads a <c>POST /v1/chat/completions</c> body, rejecting what the real API rejects with the same message, param and code.</summary>
internal static class OpenAIRequestReader
{
    private static readonly string[] Roles = ["system", "developer", "user", "assistant", "tool", "function"];

    public static ChatTurn Read(JsonObject body)
    {
        var model = Json.AsString(body["model"]);
        if (string.IsNullOrEmpty(model)) throw Invalid("you must provide a model parameter", null, null);

        var messages = RequireMessages(body["messages"]);
        var stream = ReadStream(body);
        var maxTokens = ReadMaxTokens(body, "max_completion_tokens") ?? ReadMaxTokens(body, "max_tokens");
        var hasTools = ReadTools(body);

        var inputTokens = 0;
        string? lastUserText = null;
        HashSet<string>? unanswered = null; // tool_call ids of the latest assistant message still awaiting tool messages
        var unansweredAt = -1;
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i] is not JsonObject message)
                throw Invalid($"Invalid type for 'messages[{i}]': expected an object, but got {Json.Describe(messages[i])} instead.", $"messages[{i}]", "invalid_type");
            var role = Json.AsString(message["role"]) ?? throw Missing($"messages[{i}].role");
            if (!Roles.Contains(role))
                throw Invalid($"Invalid value: '{role}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.",
                    $"messages[{i}].role", "invalid_value");

            if (role != "tool" && unanswered is { Count: > 0 }) throw ToolCallsUnanswered(unanswered, unansweredAt);
            var text = ReadContent(message, i, required: role != "assistant");
            inputTokens += Words.Count(text);
            switch (role)
            {
                case "user":
                    if (!string.IsNullOrEmpty(text)) lastUserText = text;
                    break;
                case "assistant":
                    unanswered = ReadAssistantToolCalls(message, i);
                    unansweredAt = i;
                    break;
                case "tool":
                    var id = Json.AsString(message["tool_call_id"]) ?? throw Missing($"messages[{i}].tool_call_id");
                    if (unanswered is null || !unanswered.Remove(id))
                        throw Invalid("Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
                            $"messages.[{i}].role", null);
                    break;
            }
            if (role != "assistant" && role != "tool") unanswered = null;
        }
        if (unanswered is { Count: > 0 }) throw ToolCallsUnanswered(unanswered, unansweredAt);

        return new ChatTurn
        {
            Model = model,
            Stream = stream,
            IncludeUsage = stream && Json.AsBool(body["stream_options"]?["include_usage"]) == true,
            MaxTokens = maxTokens,
            HasTools = hasTools,
            LastUserText = lastUserText,
            TrailingToolResults = TrailingToolResults(messages),
            InputTokens = inputTokens,
        };
    }

    private static JsonArray RequireMessages(JsonNode? node)
    {
        if (node is null) throw Missing("messages");
        if (node is not JsonArray messages)
            throw Invalid($"Invalid type for 'messages': expected an array of objects, but got {Json.Describe(node)} instead.", "messages", "invalid_type");
        if (messages.Count == 0)
            throw Invalid("Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.", "messages", "empty_array");
        return messages;
    }

    private static bool ReadStream(JsonObject body)
    {
        var node = body["stream"];
        if (node is not null && Json.AsBool(node) is null)
            throw Invalid($"Invalid type for 'stream': expected a boolean, but got {Json.Describe(node)} instead.", "stream", "invalid_type");
        var stream = Json.AsBool(node) == true;
        if (!stream && body["stream_options"] is not null)
            throw Invalid("The 'stream_options' parameter is only allowed when 'stream' is enabled.", "stream_options", null);
        return stream;
    }

    private static int? ReadMaxTokens(JsonObject body, string name)
    {
        var node = body[name];
        if (node is null) return null;
        var value = Json.AsInteger(node)
            ?? throw Invalid($"Invalid type for '{name}': expected an integer, but got {Json.Describe(node)} instead.", name, "invalid_type");
        if (value < 1)
            throw Invalid($"Invalid '{name}': integer below minimum value. Expected a value >= 1, but got {value} instead.", name, "integer_below_min_value");
        return (int)Math.Min(value, int.MaxValue);
    }

    private static bool ReadTools(JsonObject body)
    {
        var node = body["tools"];
        if (node is not null and not JsonArray)
            throw Invalid($"Invalid type for 'tools': expected an array of objects, but got {Json.Describe(node)} instead.", "tools", "invalid_type");
        var tools = node as JsonArray ?? [];
        for (var j = 0; j < tools.Count; j++)
        {
            var type = Json.AsString(tools[j]?["type"]) ?? throw Missing($"tools[{j}].type");
            if (type == "function" && Json.AsString(tools[j]?["function"]?["name"]) is null) throw Missing($"tools[{j}].function.name");
        }
        var choice = body["tool_choice"];
        if (choice is not null && tools.Count == 0)
            throw Invalid("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", "tool_choice", null);
        return tools.Count > 0 && Json.AsString(choice) != "none";
    }

    /// <summary>The message's text: a string, or the text parts of an array joined by newlines.</summary>
    private static string ReadContent(JsonObject message, int index, bool required)
    {
        var content = message["content"];
        switch (content)
        {
            case null when required:
                throw Missing($"messages[{index}].content");
            case null:
                return "";
            case JsonArray parts:
                return string.Join("\n", parts.Select(part => Json.AsString(part?["type"]) == "text" ? Json.AsString(part?["text"]) : null)
                    .Where(text => text is not null));
            default:
                return Json.AsString(content)
                    ?? throw Invalid($"Invalid type for 'messages[{index}].content': expected one of a string or array of objects, but got {Json.Describe(content)} instead.",
                        $"messages[{index}].content", "invalid_type");
        }
    }

    private static HashSet<string> ReadAssistantToolCalls(JsonObject message, int index)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (message["tool_calls"] is not JsonArray calls) return ids;
        for (var j = 0; j < calls.Count; j++)
        {
            var prefix = $"messages[{index}].tool_calls[{j}]";
            var id = Json.AsString(calls[j]?["id"]) ?? throw Missing(prefix + ".id");
            if (Json.AsString(calls[j]?["type"]) is null) throw Missing(prefix + ".type");
            if (Json.AsString(calls[j]?["function"]?["name"]) is null) throw Missing(prefix + ".function.name");
            if (Json.AsString(calls[j]?["function"]?["arguments"]) is null) throw Missing(prefix + ".function.arguments");
            ids.Add(id);
        }
        return ids;
    }

    private static List<string>? TrailingToolResults(JsonArray messages)
    {
        var results = new List<string>();
        for (var i = messages.Count - 1; i >= 0 && Json.AsString(messages[i]?["role"]) == "tool"; i--)
            results.Insert(0, ReadContent((JsonObject)messages[i]!, i, required: false));
        return results.Count > 0 ? results : null;
    }

    private static InvalidRequestException ToolCallsUnanswered(IEnumerable<string> ids, int index) =>
        Invalid("An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. " +
            $"The following tool_call_ids did not have response messages: {string.Join(", ", ids)}", $"messages.[{index}].role", null);

    private static InvalidRequestException Missing(string param) =>
        Invalid($"Missing required parameter: '{param}'.", param, "missing_required_parameter");

    private static InvalidRequestException Invalid(string message, string? param, string? code) =>
        new(new ProviderError(400, "invalid_request_error", message, param, code));
}
