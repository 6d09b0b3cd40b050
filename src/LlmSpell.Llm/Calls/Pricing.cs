namespace LlmSpell.Llm.Calls;

/// <summary>cost_usd from [providers.NAME.pricing] (USD per million tokens) and provider-reported token counts.</summary>
internal static class Pricing
{
    /// <summary>Null when the provider has no pricing; a missing side of the pricing counts as free.</summary>
    public static double? Cost(ProviderSettings settings, long inputTokens, long outputTokens)
    {
        if (settings.InputPerMillion is null && settings.OutputPerMillion is null) return null;
        return (inputTokens * (settings.InputPerMillion ?? 0) + outputTokens * (settings.OutputPerMillion ?? 0)) / 1_000_000;
    }
}
