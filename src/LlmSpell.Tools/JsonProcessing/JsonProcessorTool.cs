using System.Text.Json;
using System.Text.Json.Nodes;
using LlmSpell.Tools.Framework;

namespace LlmSpell.Tools.JsonProcessing;

/// <summary>json-processor: validate, parse, pretty-print, minify and query JSON.</summary>
internal sealed class JsonProcessorTool : SynchronousTool
{
    private static readonly JsonDocumentOptions ReadOptions = new() { AllowDuplicateProperties = false };

    public override string Name => "json-processor";

    public override string Description =>
        "JSON text: validate ({\"result\": true|false, \"error\"}), parse (the value), pretty (indented text), minify " +
        "(compact text), query (the value at a path such as $.a.b[0], $.items[-1] or $.users[*].name; {\"result\", \"found\"}).";

    public override string ParametersJsonSchema => """
        {
          "type": "object",
          "properties": {
            "operation": { "type": "string", "enum": ["validate", "parse", "pretty", "minify", "query"] },
            "input": { "type": ["string", "object", "array", "number", "boolean"], "description": "JSON text, or a JSON value itself." },
            "path": { "type": "string", "description": "query: $ then .name, ['name'], [index] (negative from the end) or * steps." },
            "indent": { "type": "integer", "minimum": 1, "maximum": 8, "description": "pretty: spaces per level; default 2." }
          },
          "required": ["operation", "input"],
          "additionalProperties": false
        }
        """;

    protected override JsonObject Run(ToolArguments arguments, ToolContext context)
    {
        var operation = arguments.RequireString("operation");
        var input = arguments.Require("input");
        if (operation == "validate") return Validate(input);

        var value = Read(arguments, input);
        return operation switch
        {
            "parse" => new JsonObject { ["result"] = value, ["type"] = TypeOf(value) },
            "pretty" => new JsonObject { ["result"] = JsonText.Write(value, (int)arguments.Integer("indent", 2)) },
            "minify" => new JsonObject { ["result"] = JsonText.Write(value) },
            _ => Query(arguments, value),
        };
    }

    private static JsonObject Validate(JsonElement input)
    {
        if (input.ValueKind != JsonValueKind.String) return new JsonObject { ["result"] = true };
        try
        {
            using var _ = JsonDocument.Parse(input.GetString()!, ReadOptions);
            return new JsonObject { ["result"] = true };
        }
        catch (JsonException e)
        {
            return new JsonObject { ["result"] = false, ["error"] = Explain(e) };
        }
    }

    private static JsonNode? Read(ToolArguments arguments, JsonElement input)
    {
        try
        {
            if (input.ValueKind != JsonValueKind.String) return JsonNode.Parse(input.GetRawText());
            using var document = JsonDocument.Parse(input.GetString()!, ReadOptions);
            return JsonNode.Parse(document.RootElement.GetRawText());
        }
        catch (JsonException e)
        {
            throw arguments.Error($"the input is not valid JSON: {Explain(e)}.");
        }
    }

    private static JsonObject Query(ToolArguments arguments, JsonNode? value)
    {
        var pathText = arguments.RequireString("path");
        JsonPath path;
        try { path = JsonPath.Parse(pathText); }
        catch (FormatException e) { throw arguments.Error($"bad path '{pathText}': {e.Message}."); }

        var found = path.Select(value);
        JsonNode? result = path.IsMulti ? new JsonArray([.. found.Select(n => n?.DeepClone())]) : found.FirstOrDefault()?.DeepClone();
        return new JsonObject { ["result"] = result, ["found"] = found.Count > 0 };
    }

    private static string TypeOf(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        _ => "boolean",
    };

    /// <summary>The parser's complaint with a 1-based line and byte in the line instead of its 0-based "LineNumber: 0 | BytePositionInLine: 5".</summary>
    private static string Explain(JsonException e)
    {
        var message = e.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal) is var p and >= 0 ? p
            : message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut >= 0) message = message[..cut];
        return e.LineNumber is { } line && e.BytePositionInLine is { } column
            ? $"{message.TrimEnd('.')} (line {line + 1}, byte {column + 1})"
            : message.TrimEnd('.');
    }
}
