using System.Text.Json;
using LlmSpell.Tools;

namespace LlmSpell.Tools.Tests.Tools;

/// <summary>Calls a built-in tool by name, as the scripting layer does: arguments and result as JSON.</summary>
internal static class ToolRunner
{
    public static ToolContext Context(string? workingDirectory = null) => new() { WorkingDirectory = workingDirectory ?? Path.GetTempPath() };

    public static async Task<JsonElement> RunAsync(string tool, string argumentsJson, ToolContext? context = null)
    {
        var found = BuiltinTools.Find(tool) ?? throw new InvalidOperationException($"no tool {tool}");
        using var arguments = JsonDocument.Parse(argumentsJson);
        var result = await found.InvokeAsync(arguments.RootElement, context ?? Context(), CancellationToken.None);
        using var parsed = JsonDocument.Parse(result);
        Assert.Equal(JsonValueKind.Object, parsed.RootElement.ValueKind);
        return parsed.RootElement.Clone();
    }

    /// <summary>The "result" field of the tool's answer.</summary>
    public static async Task<JsonElement> ResultAsync(string tool, string argumentsJson, ToolContext? context = null) =>
        (await RunAsync(tool, argumentsJson, context)).GetProperty("result");

    /// <summary>The message of the <see cref="ToolException"/> the call must throw.</summary>
    public static async Task<string> FailureAsync(string tool, string argumentsJson, ToolContext? context = null) =>
        (await Assert.ThrowsAsync<ToolException>(() => RunAsync(tool, argumentsJson, context))).Message;
}
