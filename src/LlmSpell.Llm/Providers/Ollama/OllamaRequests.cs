using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Providers.Ollama;

/// <summary>A conversation as an /api/chat request; tool results become role "tool" messages named after their call.</summary>
internal static class OllamaRequests
{
    public static OllamaChatRequest Build(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var request = new OllamaChatRequest { Model = options?.ModelId ?? "", Stream = stream };
        if (options?.Temperature is not null || options?.MaxOutputTokens is not null)
            request.Options = new OllamaOptions { Temperature = options.Temperature, NumPredict = options.MaxOutputTokens };
        var toolNames = new Dictionary<string, string>(StringComparer.Ordinal); // call id → tool name, for tool_name
        foreach (var message in messages)
            AddMessage(request.Messages, message, toolNames);
        var tools = options?.Tools?.OfType<AIFunctionDeclaration>().ToList();
        if (tools is { Count: > 0 })
            request.Tools = tools.Select(t => new OllamaTool
            {
                Function = new OllamaFunction { Name = t.Name, Description = t.Description, Parameters = t.JsonSchema },
            }).ToList();
        return request;
    }

    private static void AddMessage(List<OllamaMessage> target, ChatMessage message, Dictionary<string, string> toolNames)
    {
        var results = message.Contents.OfType<FunctionResultContent>().ToList();
        foreach (var result in results)
            target.Add(new OllamaMessage
            {
                Role = "tool", Content = FunctionResults.ToText(result), ToolName = toolNames.GetValueOrDefault(result.CallId),
            });
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        foreach (var call in calls) toolNames[call.CallId] = call.Name;
        var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
        if (text.Length == 0 && calls.Count == 0 && results.Count > 0) return;
        target.Add(new OllamaMessage
        {
            Role = message.Role == ChatRole.Tool ? "tool" : message.Role.Value,
            Content = text,
            ToolCalls = calls.Count == 0 ? null : calls.Select(c => new OllamaToolCall
            {
                Function = new OllamaFunctionCall { Name = c.Name, Arguments = FunctionArguments.ToElement(c.Arguments) },
            }).ToList(),
        });
    }
}
