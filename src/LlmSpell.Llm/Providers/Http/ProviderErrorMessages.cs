using System.Text.Json;

namespace LlmSpell.Llm.Providers.Http;

/// <summary>The human part of a provider's error body: {"error":{"message":..}} (OpenAI, Anthropic) or {"error":".."} (Ollama).</summary>
internal static class ProviderErrorMessages
{
    private const int MaxLength = 500;

    public static string Extract(string body)
    {
        if (string.IsNullOrWhiteSpace(body)) return "";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (FindMessage(document.RootElement) is { Length: > 0 } message) return Shorten(message);
        }
        catch (JsonException) { }
        return Shorten(body.Trim());
    }

    private static string? FindMessage(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return null;
        if (root.TryGetProperty("error", out var error))
        {
            if (error.ValueKind == JsonValueKind.String) return error.GetString();
            if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var nested) && nested.ValueKind == JsonValueKind.String)
                return nested.GetString();
        }
        return root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String ? message.GetString() : null;
    }

    private static string Shorten(string text) => text.Length <= MaxLength ? text : text[..MaxLength] + "…";
}
