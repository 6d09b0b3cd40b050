using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Providers;

/// <summary>A script's tools as Microsoft.Extensions.AI declarations: name, description and the JSON schema the model sees.</summary>
internal static class ToolDeclarations
{
    public static List<AITool> ToAITools(IReadOnlyList<ToolDeclaration> tools)
    {
        var declarations = new List<AITool>(tools.Count);
        foreach (var tool in tools)
            declarations.Add(AIFunctionFactory.CreateDeclaration(tool.Name, tool.Description, ParseSchema(tool)));
        return declarations;
    }

    private static JsonElement ParseSchema(ToolDeclaration tool)
    {
        var text = string.IsNullOrWhiteSpace(tool.ParametersJsonSchema) ? """{"type":"object","properties":{}}""" : tool.ParametersJsonSchema;
        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw new LlmException($"tool '{tool.Name}': its parameter schema must be a JSON object, not {document.RootElement.ValueKind}");
            return document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new LlmException($"tool '{tool.Name}': its parameter schema is not valid JSON ({e.Message})");
        }
    }
}
