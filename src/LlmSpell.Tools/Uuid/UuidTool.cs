using System.Text.Json.Nodes;
using LlmSpell.Tools.Framework;

namespace LlmSpell.Tools.Uuid;

/// <summary>uuid-generator: random (v4) or time-ordered (v7) UUIDs, and checking a UUID.</summary>
internal sealed class UuidTool : SynchronousTool
{
    public override string Name => "uuid-generator";

    public override string Description =>
        "Generates UUIDs: version 4 (random, the default) or 7 (time-ordered, sorts by creation time). " +
        "Returns {\"result\": \"...\"}, or a list when count > 1. operation validate checks a UUID and reports its version.";

    public override string ParametersJsonSchema => """
        {
          "type": "object",
          "properties": {
            "operation": { "type": "string", "enum": ["generate", "validate"], "description": "Default generate." },
            "version": { "type": "integer", "enum": [4, 7], "description": "Default 4." },
            "count": { "type": "integer", "minimum": 1, "maximum": 100, "description": "How many to generate; default 1." },
            "format": { "type": "string", "enum": ["standard", "compact", "braces", "urn"], "description": "standard (8-4-4-4-12, default), compact (no hyphens), braces ({...}), urn (urn:uuid:...)." },
            "uppercase": { "type": "boolean" },
            "value": { "type": "string", "description": "validate: the UUID to check." }
          },
          "additionalProperties": false
        }
        """;

    protected override JsonObject Run(ToolArguments arguments, ToolContext context) =>
        arguments.String("operation", "generate") == "validate" ? Validate(arguments) : Generate(arguments);

    private static JsonObject Generate(ToolArguments arguments)
    {
        var version = arguments.Integer("version", 4);
        var count = (int)arguments.Integer("count", 1);
        var format = arguments.String("format", "standard");
        var uppercase = arguments.Boolean("uppercase", false);
        var uuids = Enumerable.Range(0, count)
            .Select(_ => Format(version == 7 ? Guid.CreateVersion7() : Guid.NewGuid(), format, uppercase))
            .ToArray();
        return new JsonObject
        {
            ["result"] = count == 1 ? uuids[0] : new JsonArray([.. uuids.Select(u => (JsonNode)u)]),
            ["version"] = version,
        };
    }

    private static JsonObject Validate(ToolArguments arguments)
    {
        var value = arguments.RequireString("value").Trim();
        var text = value.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? value[9..] : value;
        if (!Guid.TryParse(text, out var uuid)) return new JsonObject { ["result"] = false };
        return new JsonObject
        {
            ["result"] = true,
            ["version"] = uuid.Version,
            ["standard"] = uuid.ToString("D"),
        };
    }

    private static string Format(Guid uuid, string format, bool uppercase)
    {
        var text = format switch
        {
            "compact" => uuid.ToString("N"),
            "braces" => uuid.ToString("B"),
            "urn" => "urn:uuid:" + uuid.ToString("D"),
            _ => uuid.ToString("D"),
        };
        return uppercase ? text.ToUpperInvariant() : text;
    }
}
