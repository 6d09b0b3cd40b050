using LlmSpell.Tools.Base64;
using LlmSpell.Tools.Calculator;
using LlmSpell.Tools.Dates;
using LlmSpell.Tools.Files;
using LlmSpell.Tools.Hashing;
using LlmSpell.Tools.Http;
using LlmSpell.Tools.JsonProcessing;
using LlmSpell.Tools.TextManipulation;
using LlmSpell.Tools.Uuid;

namespace LlmSpell.Tools;

/// <summary>The tools shipped with llmspell, by their upstream names. The instances are stateless and shared.</summary>
public static class BuiltinTools
{
    /// <summary>Every built-in tool, in a stable order.</summary>
    public static IReadOnlyList<IBuiltinTool> All { get; } =
    [
        new CalculatorTool(),
        new DateTimeTool(),
        new UuidTool(),
        new HashTool(),
        new Base64Tool(),
        new JsonProcessorTool(),
        new TextManipulatorTool(),
        new FileOperationsTool(),
        new HttpRequesterTool(),
    ];

    /// <summary>The tool called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static IBuiltinTool? Find(string name) =>
        All.FirstOrDefault(tool => string.Equals(tool.Name, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}
