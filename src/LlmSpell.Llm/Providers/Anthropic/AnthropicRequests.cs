using System.Text;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Providers.Anthropic;

/// <summary>
/// A conversation as a Messages request: system messages become the top-level system, tool calls tool_use blocks,
/// tool results tool_result blocks in a user turn; consecutive turns of one role are merged (the API wants them alternating).
/// </summary>
internal static class AnthropicRequests
{
    /// <summary>The API requires max_tokens; this is sent when the script gives none.</summary>
    public const int DefaultMaxTokens = 1024;

    public static AnthropicRequest Build(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var request = new AnthropicRequest
        {
            Model = options?.ModelId ?? "",
            MaxTokens = options?.MaxOutputTokens ?? DefaultMaxTokens,
            Temperature = options?.Temperature,
            Stream = stream,
        };
        var system = new StringBuilder();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                if (system.Length > 0) system.Append("\n\n");
                system.Append(message.Text);
                continue;
            }
            var blocks = Blocks(message);
            if (blocks.Count == 0) continue;
            var role = message.Role == ChatRole.Assistant ? "assistant" : "user";
            if (request.Messages.Count > 0 && request.Messages[^1].Role == role)
                request.Messages[^1].Content.AddRange(blocks);
            else
                request.Messages.Add(new AnthropicMessage { Role = role, Content = blocks });
        }
        request.System = system.Length > 0 ? system.ToString() : null;
        var tools = options?.Tools?.OfType<AIFunctionDeclaration>().ToList();
        if (tools is { Count: > 0 })
            request.Tools = tools.Select(t => new AnthropicTool { Name = t.Name, Description = t.Description, InputSchema = t.JsonSchema }).ToList();
        return request;
    }

    private static List<AnthropicBlock> Blocks(ChatMessage message)
    {
        var blocks = new List<AnthropicBlock>();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent { Text.Length: > 0 } text:
                    blocks.Add(new AnthropicBlock { Type = "text", Text = text.Text });
                    break;
                case FunctionCallContent call:
                    blocks.Add(new AnthropicBlock
                    {
                        Type = "tool_use", Id = call.CallId, Name = call.Name, Input = FunctionArguments.ToElement(call.Arguments),
                    });
                    break;
                case FunctionResultContent result:
                    blocks.Add(new AnthropicBlock
                    {
                        Type = "tool_result", ToolUseId = result.CallId, Content = FunctionResults.ToText(result),
                        IsError = result.Exception is null ? null : true,
                    });
                    break;
            }
        }
        return blocks;
    }
}
