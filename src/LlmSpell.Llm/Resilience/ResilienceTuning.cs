namespace LlmSpell.Llm.Resilience;

/// <summary>The resilience constants that are not configuration; tests shorten them.</summary>
internal sealed record ResilienceTuning
{
    public static ResilienceTuning Default { get; } = new();

    /// <summary>First retry delay; doubled each attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest computed backoff.</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest Retry-After honoured; a provider asking for more is waited for this long.</summary>
    public TimeSpan RetryAfterCap { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Consecutive failures (within <see cref="BreakerSamplingDuration"/>) that open the circuit.</summary>
    public int BreakerFailureThreshold { get; init; } = 5;

    public TimeSpan BreakerSamplingDuration { get; init; } = TimeSpan.FromSeconds(60);
    public TimeSpan BreakerBreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest silence within a stream; null = the provider's timeout_seconds.</summary>
    public TimeSpan? StreamIdleTimeout { get; init; }

    /// <summary>The window requests_per_minute applies to (a minute, except in tests).</summary>
    public TimeSpan RateLimitWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests that may wait for the client-side rate limiter before more are refused.</summary>
    public int RateLimitQueueLimit { get; init; } = 1000;
}
