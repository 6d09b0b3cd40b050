using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Providers;

/// <summary>A tool result as the text a provider expects in its tool message.</summary>
internal static class FunctionResults
{
    public static string ToText(FunctionResultContent result) => result.Result switch
    {
        null => "null",
        string text => text,
        JsonElement element => element.GetRawText(),
        var value => JsonSerializer.Serialize(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType())),
    };
}
