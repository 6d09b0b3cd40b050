namespace LlmSpell.ProviderDoubles;

/// <summary>An error answer before it is put in a provider's format: HTTP status, the provider's error type, message, and OpenAI's param/code.</summary>
internal sealed record ProviderError(int Status, string Type, string Message, string? Param = null, string? Code = null);

/// <summary>Thrown while reading a request that the real provider would reject with <see cref="Error"/>.</summary>
internal sealed class InvalidRequestException(ProviderError error) : Exception(error.Message)
{
    public ProviderError Error { get; } = error;
}
