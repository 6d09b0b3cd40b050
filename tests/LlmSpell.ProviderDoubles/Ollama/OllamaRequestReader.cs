using System.Text.Json.Nodes;
using LlmSpell.ProviderDoubles.Conversation;

namespace LlmSpell.ProviderDoubles.Ollama;

/// <summary>Reads a <c>POST /api/chat</c> body. As in real Ollama, <c>stream</c> defaults to true and <c>options.num_predict</c> limits the output.</summary>
internal static class OllamaRequestReader
{
    public static ChatTurn Read(JsonObject body)
    {
        var model = Json.AsString(body["model"]);
        if (string.IsNullOrEmpty(model)) throw Invalid("model is required");
        var stream = body["stream"] is null || (Json.AsBool(body["stream"]) ?? throw Invalid("json: cannot unmarshal stream: expected a boolean"));

        var node = body["messages"];
        var messages = node is null ? [] : node as JsonArray ?? throw Invalid("json: cannot unmarshal messages: expected an array of messages");
        var inputTokens = 0;
        string? lastUserText = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] as JsonObject ?? throw Invalid($"json: cannot unmarshal messages[{i}]: expected a message object");
            var role = Json.AsString(message["role"]);
            if (string.IsNullOrEmpty(role)) throw Invalid($"messages[{i}]: role is required");
            var content = message["content"] is null ? "" : Json.AsString(message["content"])
                ?? throw Invalid($"json: cannot unmarshal messages[{i}].content: expected a string");
            inputTokens += Words.Count(content);
            if (role == "user" && content.Length > 0) lastUserText = content;
        }

        var trailing = new List<string>();
        for (var i = messages.Count - 1; i >= 0 && Json.AsString(messages[i]?["role"]) == "tool"; i--)
            trailing.Insert(0, Json.AsString(messages[i]?["content"]) ?? "");

        var toolsNode = body["tools"];
        var tools = toolsNode is null ? [] : toolsNode as JsonArray ?? throw Invalid("json: cannot unmarshal tools: expected an array of tools");
        for (var j = 0; j < tools.Count; j++)
            if (Json.AsString(tools[j]?["function"]?["name"]) is null) throw Invalid($"tools[{j}]: function name is required");

        var numPredict = Json.AsInteger(body["options"]?["num_predict"]);
        return new ChatTurn
        {
            Model = model,
            Stream = stream,
            MaxTokens = numPredict > 0 ? (int)Math.Min(numPredict.Value, int.MaxValue) : null,
            HasTools = tools.Count > 0,
            LastUserText = lastUserText,
            TrailingToolResults = trailing.Count > 0 ? trailing : null,
            InputTokens = inputTokens,
        };
    }

    private static InvalidRequestException Invalid(string message) => new(new ProviderError(400, "", message));
}
