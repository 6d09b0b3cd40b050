using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LlmSpell.Tools.Framework;

namespace LlmSpell.Tools.Http;

/// <summary>Turns a response into the tool's result, reading at most the configured number of bytes of its (decompressed) body.</summary>
internal static class ResponseReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(false, throwOnInvalidBytes: true);

    public static async Task<JsonObject> ReadAsync(ToolArguments arguments, HttpResponseMessage response, Uri uri, long maxBytes,
        CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } declared && declared > maxBytes)
            throw TooLarge(arguments, uri, $"declares {declared} bytes, more", maxBytes);
        var body = await ReadCappedAsync(arguments, response.Content, uri, maxBytes, cancellationToken);

        var headers = new JsonObject();
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            headers[name.ToLowerInvariant()] = string.Join(", ", values);

        var result = new JsonObject
        {
            ["status"] = (int)response.StatusCode,
            ["ok"] = response.IsSuccessStatusCode,
            ["url"] = uri.ToString(),
            ["headers"] = headers,
        };
        var text = Decode(body, response.Content.Headers.ContentType?.CharSet);
        result["body"] = text ?? Convert.ToBase64String(body);
        result["body_encoding"] = text is null ? "base64" : "utf8";
        if (text is not null && IsJson(response.Content.Headers.ContentType?.MediaType) && TryParse(text) is { } json) result["json"] = json;
        return result;
    }

    private static async Task<byte[]> ReadCappedAsync(ToolArguments arguments, HttpContent content, Uri uri, long maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw TooLarge(arguments, uri, "is larger", maxBytes);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>The body as text when its charset (UTF-8 if none is given) decodes it; null means "return it as base64".</summary>
    private static string? Decode(byte[] body, string? charset)
    {
        Encoding encoding = StrictUtf8;
        if (charset is not null && !charset.Trim('"').Equals("utf-8", StringComparison.OrdinalIgnoreCase))
        {
            try { encoding = Encoding.GetEncoding(charset.Trim('"'), EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback); }
            catch (ArgumentException) { return null; }
        }
        try { return encoding.GetString(body); }
        catch (DecoderFallbackException) { return null; }
    }

    private static bool IsJson(string? mediaType) =>
        mediaType is not null && (mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase));

    private static JsonNode? TryParse(string text)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException) { return null; }
    }

    private static ToolException TooLarge(ToolArguments arguments, Uri uri, string what, long maxBytes) =>
        arguments.Error($"the response from {uri.Host} {what} than the {maxBytes}-byte response cap allows; request a smaller resource (or a range).");
}
