using System.Text.Json;

namespace LlmSpell.Tools.Framework;

/// <summary>
/// A tool's arguments after the schema check. A JSON null reads as absent. <see cref="Require"/> is for fields only some
/// operations need, which the schema cannot mark as required.
/// </summary>
internal sealed class ToolArguments(string tool, JsonElement arguments)
{
    public string Tool { get; } = tool;

    /// <summary>The "operation" field, when the tool has one and it was given.</summary>
    public string? Operation => OptionalString("operation");

    public bool Has(string name) => Find(name) is not null;

    public JsonElement? Find(string name) =>
        arguments.ValueKind == JsonValueKind.Object && arguments.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    /// <summary>The field's value; a <see cref="ToolException"/> naming the field, the tool and the operation when it is absent.</summary>
    public JsonElement Require(string name) => Find(name) ?? throw Missing(name);

    public string RequireString(string name) => AsString(name, Require(name));

    public string? OptionalString(string name) => Find(name) is { } value ? AsString(name, value) : null;

    public string String(string name, string fallback) => OptionalString(name) ?? fallback;

    public bool Boolean(string name, bool fallback) => Find(name) switch
    {
        null => fallback,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { } other => throw WrongType(name, "a boolean", other),
    };

    public long? OptionalInteger(string name)
    {
        if (Find(name) is not { } value) return null;
        if (value.ValueKind == JsonValueKind.Number && JsonTypes.IsInteger(value))
            return value.TryGetInt64(out var exact) ? exact : (long)value.GetDouble();
        throw WrongType(name, "an integer", value);
    }

    public long Integer(string name, long fallback) => OptionalInteger(name) ?? fallback;

    public long RequireInteger(string name) => OptionalInteger(name) ?? throw Missing(name);

    public double? OptionalNumber(string name) => Find(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } value => value.GetDouble(),
        { } other => throw WrongType(name, "a number", other),
    };

    public ToolException Error(string message) => new($"{Tool}: {message}");

    private ToolException Missing(string name) => Operation is { } operation
        ? Error($"operation '{operation}' needs the field '{name}'.")
        : Error($"missing required field '{name}'.");

    private string AsString(string name, JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw WrongType(name, "a string", value);

    private ToolException WrongType(string name, string expected, JsonElement value) =>
        Error($"field '{name}' must be {expected}, got {JsonTypes.Describe(value)}.");
}
