namespace LlmSpell.Llm.Providers.Http;

// What the provider clients throw; FailureClassifier decides which are retried and CallFailures turns them into the
// LlmException a script sees (with the provider's name, which the clients do not need to know).

/// <summary>The provider answered with an HTTP error status.</summary>
internal sealed class ProviderStatusException(int statusCode, string providerMessage, TimeSpan? retryAfter)
    : Exception($"HTTP {statusCode}: {providerMessage}")
{
    public int StatusCode { get; } = statusCode;

    /// <summary>The provider's own error message (from its JSON error body when it has one).</summary>
    public string ProviderMessage { get; } = providerMessage;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>A response or stream chunk that is not what the provider's API defines.</summary>
internal sealed class MalformedResponseException(string detail, bool inStream, Exception? inner = null) : Exception(detail, inner)
{
    public bool InStream { get; } = inStream;
}

/// <summary>The response (or the stream, summed) grew past max_response_bytes.</summary>
internal sealed class ResponseTooLargeException(long limit) : IOException($"the response is larger than {limit} bytes")
{
    public long Limit { get; } = limit;
}

/// <summary>The connection closed before the stream's final event: a dropped connection, as far as retries go.</summary>
internal sealed class StreamEndedEarlyException(string detail) : IOException(detail);

/// <summary>A stream sent nothing for the idle timeout.</summary>
internal sealed class StreamIdleException(TimeSpan idle) : Exception($"the stream sent nothing for {idle.TotalSeconds:0.#} s")
{
    public TimeSpan Idle { get; } = idle;
}

/// <summary>A failure after text already reached the script: never retried, so no text is repeated.</summary>
internal sealed class OutputAlreadyStreamedException(Exception inner) : Exception(inner.Message, inner);
