using System.Text.Json;

namespace LlmSpell.Llm.Calls;

/// <summary>A failed tool as the result the model sees: {"error":"..."}.</summary>
internal static class ToolErrors
{
    public static string ToJson(string error)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("error", error);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
