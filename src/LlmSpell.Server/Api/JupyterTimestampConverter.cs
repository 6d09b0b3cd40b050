using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LlmSpell.Server.Api;

/// <summary>
/// Writes UTC timestamps as Jupyter Server parses them: <c>%Y-%m-%dT%H:%M:%S.%fZ</c> (six fractional digits and "Z";
/// .NET's round-trip "O" format has seven and fails there). Reads any ISO 8601 form.
/// </summary>
public sealed class JupyterTimestampConverter : JsonConverter<DateTimeOffset>
{
    public const string Format = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString() ?? throw new JsonException("timestamp is null"), CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
