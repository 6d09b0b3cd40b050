using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Providers.Anthropic;

/// <summary>Messages API content and usage in Microsoft.Extensions.AI terms.</summary>
internal static class AnthropicResponses
{
    public static ChatResponse ToChatResponse(AnthropicResponse response)
    {
        var contents = new List<AIContent>();
        foreach (var block in response.Content)
        {
            if (block.Type == "text" && !string.IsNullOrEmpty(block.Text))
                contents.Add(new TextContent(block.Text));
            else if (block.Type == "tool_use")
                contents.Add(ToolCall(block.Id, block.Name, block.Input is { } input ? FunctionArguments.FromElement(input) : []));
        }
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ResponseId = response.Id,
            ModelId = response.Model,
            FinishReason = FinishReasons.FromAnthropic(response.StopReason),
            Usage = Usage(response.Usage?.InputTokens, response.Usage?.OutputTokens),
        };
    }

    public static FunctionCallContent ToolCall(string? id, string? name, Dictionary<string, object?> arguments) =>
        new(id ?? "", name ?? "", arguments);

    public static UsageDetails Usage(long? input, long? output) => new()
    {
        InputTokenCount = input,
        OutputTokenCount = output,
        TotalTokenCount = input is null && output is null ? null : (input ?? 0) + (output ?? 0),
    };

    /// <summary>The HTTP status an error event stands for, so a streamed error is retried like the same status would be.</summary>
    public static int StatusOfErrorType(string? type) => type switch
    {
        "overloaded_error" => 529,
        "rate_limit_error" => 429,
        "api_error" => 500,
        "authentication_error" => 401,
        "permission_error" => 403,
        "not_found_error" => 404,
        "request_too_large" => 413,
        _ => 400,
    };
}
