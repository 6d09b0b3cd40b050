using System.Text.Json;

namespace LlmSpell.Tools.Framework;

/// <summary>
/// The part of JSON Schema the tools' parameter schemas use, checked against actual arguments: an object with
/// <c>properties</c> (each with <c>type</c>, optionally <c>enum</c>, <c>minimum</c>, <c>maximum</c>, <c>items</c>),
/// <c>required</c> and <c>additionalProperties: false</c>. A JSON null counts as an absent field.
/// </summary>
internal sealed class ArgumentSchema
{
    private readonly string _tool;
    private readonly Dictionary<string, JsonElement> _properties;
    private readonly string[] _required;
    private readonly bool _additionalProperties;

    private ArgumentSchema(string tool, Dictionary<string, JsonElement> properties, string[] required, bool additionalProperties)
    {
        _tool = tool;
        _properties = properties;
        _required = required;
        _additionalProperties = additionalProperties;
    }

    public static ArgumentSchema Parse(string tool, string schemaJson)
    {
        var root = JsonDocument.Parse(schemaJson).RootElement;
        var properties = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root.TryGetProperty("properties", out var declared))
            foreach (var property in declared.EnumerateObject()) properties[property.Name] = property.Value;
        string[] required = root.TryGetProperty("required", out var names) ? [.. names.EnumerateArray().Select(n => n.GetString()!)] : [];
        var additional = !root.TryGetProperty("additionalProperties", out var extra) || extra.ValueKind != JsonValueKind.False;
        return new ArgumentSchema(tool, properties, required, additional);
    }

    /// <summary>Throws <see cref="ToolException"/> naming the tool and the field for the first rule broken.</summary>
    public void Validate(JsonElement arguments)
    {
        if (arguments.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            if (_required.Length > 0) throw Missing(_required[0]);
            return;
        }
        if (arguments.ValueKind != JsonValueKind.Object)
            throw new ToolException($"{_tool}: the arguments must be a JSON object, got {JsonTypes.Describe(arguments)}.");

        foreach (var field in arguments.EnumerateObject())
        {
            if (!_properties.TryGetValue(field.Name, out var rule))
            {
                if (_additionalProperties) continue;
                throw new ToolException(
                    $"{_tool}: unknown field '{field.Name}'; the fields are: {string.Join(", ", _properties.Keys)}.");
            }
            if (field.Value.ValueKind != JsonValueKind.Null) CheckValue(field.Name, field.Value, rule);
        }

        // After the unknown fields: a misspelt required field is better reported as the misspelling.
        foreach (var name in _required)
            if (!arguments.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) throw Missing(name);
    }

    private void CheckValue(string name, JsonElement value, JsonElement rule)
    {
        if (rule.TryGetProperty("type", out var type) && !JsonTypes.Matches(value, type))
            throw new ToolException($"{_tool}: field '{name}' must be {JsonTypes.DescribeExpected(type)}, got {JsonTypes.Describe(value)}.");

        if (rule.TryGetProperty("enum", out var allowed) && !allowed.EnumerateArray().Any(a => JsonElement.DeepEquals(a, value)))
            throw new ToolException(
                $"{_tool}: field '{name}' must be one of: {string.Join(", ", allowed.EnumerateArray().Select(a => a.ToString()))}; got '{value}'.");

        if (value.ValueKind == JsonValueKind.Number)
        {
            var number = value.GetDouble();
            if (rule.TryGetProperty("minimum", out var minimum) && number < minimum.GetDouble())
                throw new ToolException($"{_tool}: field '{name}' must be at least {minimum}, got {value}.");
            if (rule.TryGetProperty("maximum", out var maximum) && number > maximum.GetDouble())
                throw new ToolException($"{_tool}: field '{name}' must be at most {maximum}, got {value}.");
        }

        if (value.ValueKind == JsonValueKind.Array && rule.TryGetProperty("items", out var items) && items.TryGetProperty("type", out var itemType))
        {
            var index = 0;
            foreach (var item in value.EnumerateArray())
            {
                if (!JsonTypes.Matches(item, itemType))
                    throw new ToolException(
                        $"{_tool}: field '{name}' item {index} must be {JsonTypes.DescribeExpected(itemType)}, got {JsonTypes.Describe(item)}.");
                index++;
            }
        }
    }

    private ToolException Missing(string name) => new($"{_tool}: missing required field '{name}'.");
}
