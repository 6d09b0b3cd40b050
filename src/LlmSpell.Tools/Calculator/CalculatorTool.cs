using System.Text.Json;
using System.Text.Json.Nodes;
using LlmSpell.Tools.Framework;

namespace LlmSpell.Tools.Calculator;

/// <summary>calculator: evaluates an arithmetic expression (never as code).</summary>
internal sealed class CalculatorTool : SynchronousTool
{
    public override string Name => "calculator";

    public override string Description =>
        "Evaluates an arithmetic expression and returns {\"result\": number}. Supports + - * / % (floored modulo) ^ (power), " +
        "parentheses, unary minus, the functions sqrt abs min max floor ceil round(x[, digits]) sin cos tan (radians) " +
        "log(x[, base]) exp, and the constants pi and e.";

    public override string ParametersJsonSchema => """
        {
          "type": "object",
          "properties": {
            "expression": { "type": "string", "description": "The expression, e.g. \"2 * (3 + 4) ^ 2 / sqrt(16)\"." },
            "variables": { "type": "object", "description": "Optional numbers by name the expression may use, e.g. {\"x\": 3}." }
          },
          "required": ["expression"],
          "additionalProperties": false
        }
        """;

    protected override JsonObject Run(ToolArguments arguments, ToolContext context)
    {
        var expression = arguments.RequireString("expression");
        var variables = ReadVariables(arguments);
        try
        {
            return new JsonObject { ["result"] = ExpressionEvaluator.Evaluate(expression, variables) };
        }
        catch (CalculatorError e)
        {
            throw arguments.Error(e.Message + ".");
        }
    }

    private static Dictionary<string, double> ReadVariables(ToolArguments arguments)
    {
        var variables = new Dictionary<string, double>(StringComparer.Ordinal);
        if (arguments.Find("variables") is not { } given) return variables;
        foreach (var variable in given.EnumerateObject())
        {
            if (variable.Value.ValueKind != JsonValueKind.Number)
                throw arguments.Error($"variable '{variable.Name}' must be a number, got {JsonTypes.Describe(variable.Value)}.");
            if (variable.Name.Length == 0 || !variable.Name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(variable.Name[0]))
                throw arguments.Error($"variable name '{variable.Name}' must be letters, digits and _ and not start with a digit.");
            variables[variable.Name] = variable.Value.GetDouble();
        }
        return variables;
    }
}
