using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LlmSpell.Tools.Framework;

/// <summary>
/// JSON text for results: written by a <see cref="Utf8JsonWriter"/> that keeps non-ASCII characters, '+', '&lt;' and quotes
/// readable (the default encoder writes them as \uXXXX, which models then read back as such). The text never goes into HTML.
/// </summary>
internal static class JsonText
{
    public static string Write(JsonNode? value, int indent = 0)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
        {
            Indented = indent > 0,
            IndentSize = Math.Max(indent, 1),
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }))
        {
            if (value is null) writer.WriteNullValue();
            else value.WriteTo(writer);
        }
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
