using System.Text.Json;
using Microsoft.Extensions.AI;

namespace LlmSpell.Llm.Providers;

/// <summary>A tool call's arguments: the JSON object the model sent ↔ the dictionary of <see cref="FunctionCallContent"/>.</summary>
internal static class FunctionArguments
{
    /// <summary>The arguments as one JSON object ("{}" when there are none).</summary>
    public static string ToJson(IDictionary<string, object?>? arguments)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, arguments);
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    public static JsonElement ToElement(IDictionary<string, object?>? arguments)
    {
        using var document = JsonDocument.Parse(ToJson(arguments));
        return document.RootElement.Clone();
    }

    /// <summary>A JSON object's members as a dictionary of <see cref="JsonElement"/>s; throws <see cref="JsonException"/> for anything else.</summary>
    public static Dictionary<string, object?> Parse(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new Dictionary<string, object?>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        return FromElement(document.RootElement);
    }

    public static Dictionary<string, object?> FromElement(JsonElement element)
    {
        var arguments = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (element.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return arguments;
        if (element.ValueKind != JsonValueKind.Object)
            throw new JsonException($"tool call arguments must be a JSON object, not {element.ValueKind}");
        foreach (var property in element.EnumerateObject())
            arguments[property.Name] = property.Value.Clone();
        return arguments;
    }

    private static void Write(Utf8JsonWriter writer, IDictionary<string, object?>? arguments)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in arguments ?? new Dictionary<string, object?>())
        {
            writer.WritePropertyName(name);
            switch (value)
            {
                case null: writer.WriteNullValue(); break;
                case JsonElement element: element.WriteTo(writer); break;
                // Values built in code (history restored by a script) rather than parsed from a provider.
                default:
                    JsonSerializer.Serialize(writer, value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
                    break;
            }
        }
        writer.WriteEndObject();
    }
}
