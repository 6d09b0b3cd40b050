using System.Text.Json;
using LlmSpell.Tools;

namespace LlmSpell.Scripting;

/// <summary>Runs a built-in tool on JSON arguments (from Tool.execute, a workflow step or the model); not an object = no arguments.</summary>
internal static class BuiltinCall
{
    public static async Task<string> RunAsync(IBuiltinTool tool, string? argumentsJson, ToolContext context, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(string.IsNullOrWhiteSpace(argumentsJson) ? "{}" : argumentsJson);
        using var empty = document.RootElement.ValueKind == JsonValueKind.Object ? null : JsonDocument.Parse("{}");
        var arguments = (empty ?? document).RootElement;
        return await tool.InvokeAsync(arguments, context, cancellationToken).ConfigureAwait(false);
    }
}
