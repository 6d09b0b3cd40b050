using System.Globalization;
using System.Net.Http.Headers;

namespace LlmSpell.Llm.Resilience;

/// <summary>Reads how long a provider asks us to wait: retry-after-ms (OpenAI) or Retry-After (seconds or an HTTP date).</summary>
internal static class RetryAfterHeader
{
    public static TimeSpan? From(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var ms) && Parse(null, ms.FirstOrDefault()) is { } fromMs)
            return fromMs;
        return response.Headers.TryGetValues("Retry-After", out var values) ? Parse(values.FirstOrDefault(), null) : null;
    }

    /// <summary>Either header's raw value (whichever the caller has); null when absent or unreadable.</summary>
    public static TimeSpan? Parse(string? retryAfter, string? retryAfterMs)
    {
        if (retryAfterMs is not null && double.TryParse(retryAfterMs, NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
            return TimeSpan.FromMilliseconds(millis);
        if (string.IsNullOrWhiteSpace(retryAfter)) return null;
        if (double.TryParse(retryAfter, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds >= 0 ? TimeSpan.FromSeconds(seconds) : null;
        if (RetryConditionHeaderValue.TryParse(retryAfter, out var condition) && condition.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }
        return null;
    }
}
